using System.Net;
using AsyncFacade.Client.Bulk;
using AsyncFacade.Client.Tests.Infrastructure;

namespace AsyncFacade.Client.Tests.Auth;

/// <summary>SMART Backend Services against the facade's own issuer: assertion, token, refresh during a job, file downloads.</summary>
public sealed class BackendServicesTests(AuthHost host) : IClassFixture<AuthHost>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tokens_are_renewed_during_a_long_export_and_files_get_them()
    {
        using var dir = new TempDirectory();
        var wire = new RecordingHandler();
        using var client = host.CreateClient(AuthHost.EcClient, host.EcPrivatePem, wire);

        var job = await client.ExportAsync(new ExportRequest { Types = ["Patient"] }, ct);
        var result = await client.WaitForCompletionAsync(job, null, ct);
        var report = await client.DownloadAsync(result, dir.Path, null, ct);

        Assert.True(result.Manifest!.RequiresAccessToken);
        Assert.Equal(100, report.Resources);
        // The job outlived the 2-second tokens (every upstream call takes 1.5 s): new ones were fetched on the way.
        Assert.True(client.Tokens!.TokensIssued >= 2, $"{client.Tokens.TokensIssued} token(s) issued");
        var fhirCalls = wire.Exchanges.Where(e => e.Path.StartsWith("/fhir/", StringComparison.Ordinal) && !e.Path.Contains(".well-known", StringComparison.Ordinal)).ToList();
        Assert.All(fhirCalls, e => Assert.NotNull(e.Token));
        Assert.DoesNotContain(fhirCalls, e => e.Status == HttpStatusCode.Unauthorized);
        Assert.True(fhirCalls.Select(e => e.Token).Distinct().Count() >= 2, "requests went out with more than one token");
        Assert.Contains(fhirCalls, e => e.Path.Contains("/files/", StringComparison.Ordinal) && e.Status == HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_RS384_client_signs_with_a_JWK()
    {
        using var client = host.CreateClient(AuthHost.RsaClient, host.RsaPrivateJwk);

        var job = await client.KickOffAsync(AsyncRequest.Get("Patient/pat-1"), ct);
        var result = await client.WaitForCompletionAsync(job, null, ct);

        Assert.Equal("pat-1", Assert.Single(result.Bundle!.Entry).Resource!.Id);
    }

    [Fact]
    public async Task An_unregistered_key_is_an_authorization_failure()
    {
        var stranger = AsyncFacade.Tests.Security.AuthIssuerClientKey.Es384();
        var pem = ((Microsoft.IdentityModel.Tokens.ECDsaSecurityKey)stranger.PrivateKey).ECDsa.ExportPkcs8PrivateKeyPem();
        using var client = host.CreateClient(AuthHost.EcClient, pem);

        var failure = await Assert.ThrowsAsync<FhirAsyncException>(() => client.KickOffAsync(AsyncRequest.Get("Patient/pat-1"), ct));

        Assert.Equal(FailureKind.Unauthorized, failure.Kind);
        Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
        Assert.Contains("invalid_client", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_the_server_refuses_and_the_failure_says_so()
    {
        using var client = host.Host.CreateClient();

        var failure = await Assert.ThrowsAsync<FhirAsyncException>(() => client.KickOffAsync(AsyncRequest.Get("Patient/pat-1"), ct));

        Assert.Equal(FailureKind.Unauthorized, failure.Kind);
    }
}
