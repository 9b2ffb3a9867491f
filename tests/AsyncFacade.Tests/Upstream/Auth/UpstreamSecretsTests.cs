using System.Net;
using System.Text;
using System.Text.Json;
using AsyncFacade.SampleUpstream.Auth;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Tests.Callbacks;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AsyncFacade.Tests.Upstream.Auth;

/// <summary>The upstream secret, the tokens it buys and the caller's own token end up in no log line and no job record.</summary>
public sealed class UpstreamSecretsTests
{
    private const string CallerToken = "the-callers-own-token-never-to-be-stored";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_secret_or_token_is_logged_or_stored_in_a_job_record_through_renewals_and_a_restart()
    {
        var logs = new LogRecorder();
        var settings = UpstreamAuthSettings.ClientSecret(tokenLifetimeSeconds: 2)
            .With("Logging:LogLevel:Default", "Trace")
            .With("Logging:LogLevel:Hangfire", "Information");
        await using var app = new FacadeApplication(settings, configureServices: services => services.AddSingleton<ILoggerProvider>(logs)).Start();
        var issuer = app.GetRequiredService<SampleTokenIssuer>();
        var http = app.CreateRawClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", CallerToken);
        var client = new AsyncClient(http);

        using (var read = await http.GetAsync("/fhir/Patient/pat-1", ct))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
        issuer.Restart();
        var status = await client.KickOffAsync("/fhir/Patient/pat-2");
        using (var done = await client.WaitAsync(status))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }

        var secrets = issuer.Issued.Append(UpstreamAuthSettings.Secret).Append(CallerToken)
            .Append(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UpstreamAuthSettings.ClientId}:{UpstreamAuthSettings.Secret}"))).ToList();
        Assert.True(issuer.Issued.Count >= 2, "the restart must have cost a new token");
        Assert.Contains(logs.Entries, e => e.EventId == 5006); // the 401 was seen and the token renewed
        foreach (var entry in logs.Entries)
        {
            var text = entry.Message + " " + string.Join(" ", entry.Properties.Values) + " " + entry.Exception;
            Assert.DoesNotContain(secrets, secret => text.Contains(secret, StringComparison.Ordinal));
        }
        var record = await app.GetRequiredService<IJobStore>().GetAsync(status.Split('/')[^1], ct);
        var stored = JsonSerializer.Serialize(record);
        Assert.DoesNotContain(secrets, secret => stored.Contains(secret, StringComparison.Ordinal));
        Assert.False(record!.Request.Headers.ContainsKey("Authorization"));
    }
}
