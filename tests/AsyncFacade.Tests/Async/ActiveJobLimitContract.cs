using System.Net;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Security;
using AsyncFacade.Tests.Callbacks;
using AsyncFacade.Tests.Import;
using AsyncFacade.Tests.Infrastructure;
using AsyncFacade.Tests.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AsyncFacade.Tests.Async;

/// <summary>
/// Async:MaxActiveJobsPerOwner over real HTTP, on both stores: with two jobs of a client held running (a slow upstream
/// path), every kind of kick-off by that client is 429 `throttled` and leaves nothing behind, while another client is
/// served; a cancelled or finished job frees its slot.
/// </summary>
public abstract class ActiveJobLimitContract(FacadeStore store) : IAsyncLifetime
{
    private const string Scopes = "system/*.read system/*.write";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly TestTokenIssuer issuer = new();
    private readonly LogRecorder logs = new();
    private readonly string importDirectory = Path.Combine(Path.GetTempPath(), "asyncfacade-joblimit", Guid.NewGuid().ToString("N"));
    private TestPostgres? database;
    private FacadeApplication app = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(importDirectory);
        await File.WriteAllTextAsync(Path.Combine(importDirectory, "p.ndjson"), """{"resourceType":"Patient","id":"limit"}""" + "\n", ct);
        if (store == FacadeStore.Postgres)
        {
            database = await TestPostgres.CreateDatabaseAsync(ct);
        }
        var settings = issuer.Settings();
        settings["Async:MaxActiveJobsPerOwner"] = "2";
        // Reads of Patient/held wait ten minutes upstream: jobs that stay running until cancelled.
        settings["SampleUpstream:Faults"] = "slow;ms=600000;path=Patient/held";
        settings["Import:FileDirectory"] = importDirectory;
        settings[$"Logging:LogLevel:{SecurityAudit.Category}"] = "Information";
        app = new FacadeApplication(settings, database?.ConnectionString, services => services.AddSingleton<ILoggerProvider>(logs)).Start();
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        if (database is not null)
        {
            await database.DisposeAsync();
        }
        Directory.Delete(importDirectory, recursive: true);
    }

    [Fact]
    public async Task Kick_offs_beyond_an_owners_active_job_limit_get_429_throttled_and_create_nothing()
    {
        using var busy = TestTokenIssuer.ClientWith(app, issuer.Token("busy-client", Scopes));
        using var other = TestTokenIssuer.ClientWith(app, issuer.Token("other-client", Scopes));
        var client = new AsyncClient(busy);
        var first = await client.KickOffAsync("/fhir/Patient/held");
        var second = await client.KickOffAsync("/fhir/Patient/held");
        var jobs = await app.GetRequiredService<IJobStore>().CountAsync(ct);
        var files = OutputEntries();

        foreach (var request in KickOffs())
        {
            using var refused = await busy.SendAsync(request, ct);
            await FhirAssert.OperationOutcomeAsync(refused, HttpStatusCode.TooManyRequests, "throttled");
            Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);
            Assert.Null(refused.Content.Headers.ContentLocation);
        }
        Assert.Equal(jobs, await app.GetRequiredService<IJobStore>().CountAsync(ct));
        Assert.Equal(files, OutputEntries()); // the stored request bodies went with the refused jobs
        var audit = logs.Entries.Where(e => e.EventId == 8008).ToList();
        Assert.Equal(4, audit.Count);
        Assert.All(audit, e => Assert.Equal("busy-client", e["Client"]));

        // Another client is not held back; a cancelled job frees its slot, and so does a finished one.
        var others = await new AsyncClient(other).KickOffAsync("/fhir/Patient/pat-1");
        using (var cancelled = await busy.DeleteAsync(first, ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancelled.StatusCode);
        }
        var quick = await client.KickOffAsync("/fhir/Patient/pat-1");
        (await client.WaitAsync(quick)).Dispose();
        var third = await client.KickOffAsync("/fhir/Patient/held");

        foreach (var (http, status) in new[] { (busy, second), (busy, third), (other, others), (busy, quick) })
        {
            (await http.DeleteAsync(status, ct)).Dispose();
        }
    }

    private IEnumerable<HttpRequestMessage> KickOffs()
    {
        HttpRequestMessage Async(HttpMethod method, string url, string? body = null)
        {
            var request = new HttpRequestMessage(method, url);
            request.Headers.TryAddWithoutValidation("Prefer", "respond-async");
            if (body is not null)
            {
                request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/fhir+json");
            }
            return request;
        }
        yield return Async(HttpMethod.Get, "/fhir/Patient/pat-1");
        yield return Async(HttpMethod.Put, "/fhir/Patient/limit", """{"resourceType":"Patient","id":"limit"}""");
        yield return Async(HttpMethod.Get, "/fhir/$export?_type=Patient");
        yield return Async(HttpMethod.Post, "/fhir/$import", ImportCalls.Parameters(("Patient", new Uri(Path.Combine(importDirectory, "p.ndjson")).AbsoluteUri)));
    }

    private string OutputEntries() => Directory.Exists(app.OutputDirectory)
        ? string.Join('\n', Directory.EnumerateFileSystemEntries(app.OutputDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        : "";
}

public sealed class InMemoryActiveJobLimitTests() : ActiveJobLimitContract(FacadeStore.InMemory);

public sealed class PostgresActiveJobLimitTests() : ActiveJobLimitContract(FacadeStore.Postgres);
