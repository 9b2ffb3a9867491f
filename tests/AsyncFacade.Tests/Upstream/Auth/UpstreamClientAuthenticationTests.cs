using System.Net;
using System.Text.Json;
using AsyncFacade.SampleUpstream.Auth;
using AsyncFacade.Server.Upstream.Credentials;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Upstream.Auth;

/// <summary>
/// Each way the facade can authenticate to the upstream's token endpoint (found through its SMART configuration):
/// a client secret (Basic or in the form) and SMART Backend Services assertions (RS384 and ES384, JWK or PEM); and what
/// an operator sees when the upstream refuses the credentials: readiness says so, jobs fail with a terminal code.
/// </summary>
public sealed class UpstreamClientAuthenticationTests
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("basic")]
    [InlineData("post")]
    public async Task A_client_secret_gets_a_token_and_the_upstream_answers(string method) =>
        await AssertAuthenticatedAsync(UpstreamAuthSettings.ClientSecret(method: method));

    [Theory]
    [InlineData("RS384", "jwk")]
    [InlineData("RS384", "pem")]
    [InlineData("ES384", "jwk")]
    [InlineData("ES384", "pem")]
    public async Task A_signed_client_assertion_gets_a_token_and_the_upstream_answers(string algorithm, string form)
    {
        var key = algorithm == "RS384" ? TestSigningKey.Rsa() : TestSigningKey.Ec();
        await AssertAuthenticatedAsync(UpstreamAuthSettings.PrivateKey(key, form == "jwk" ? key.PrivateJwk : key.PrivatePem));
    }

    [Fact]
    public async Task A_private_key_can_be_given_as_a_file_path()
    {
        var key = TestSigningKey.Ec();
        var path = Path.Combine(Path.GetTempPath(), $"upstream-key-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(path, key.PrivatePem, ct);
        try
        {
            await AssertAuthenticatedAsync(UpstreamAuthSettings.PrivateKey(key, path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_wrong_secret_makes_readiness_unhealthy_and_jobs_fail_with_login_not_transient()
    {
        await using var app = new FacadeApplication(UpstreamAuthSettings.ClientSecret(secret: "not-the-secret")).Start();
        var http = app.CreateRawClient();

        var ready = await FhirAssert.JsonAsync(await http.GetAsync("/health/ready", ct), HttpStatusCode.ServiceUnavailable);
        var upstream = ready.GetProperty("checks").GetProperty("upstream");
        Assert.Equal("Unhealthy", upstream.GetProperty("status").GetString());
        Assert.Contains("refuses the facade's credentials", upstream.GetProperty("description").GetString());
        Assert.Contains("invalid_client", upstream.GetProperty("description").GetString());

        var client = new AsyncClient(http);
        await AssertFailedWithAsync(client, await client.KickOffAsync("/fhir/Patient/pat-1"), "login");
        using var export = new HttpRequestMessage(HttpMethod.Get, "/fhir/$export?_type=Patient");
        export.Headers.TryAddWithoutValidation("Accept", "application/fhir+json");
        await AssertFailedWithAsync(client, await client.KickOffAsync(export), "login");
        Assert.Empty(app.GetRequiredService<SampleTokenIssuer>().Issued);
    }

    [Fact]
    public async Task A_pass_through_call_with_refused_credentials_answers_502_with_login()
    {
        await using var app = new FacadeApplication(UpstreamAuthSettings.ClientSecret(secret: "not-the-secret")).Start();

        using var response = await app.CreateRawClient().GetAsync("/fhir/Patient/pat-1", ct);

        var outcome = await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.BadGateway, "login");
        Assert.Contains("invalid_client", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
    }

    [Fact]
    public async Task A_static_bearer_token_the_upstream_refuses_fails_jobs_with_login_and_readiness_says_so()
    {
        // Today's Upstream:BearerToken: once expired or forgotten by a restarted upstream, nothing can renew it.
        var settings = UpstreamAuthSettings.Upstream().With("Upstream:BearerToken", "a-token-the-upstream-has-forgotten");
        await using var app = new FacadeApplication(settings).Start();
        var http = app.CreateRawClient();
        var client = new AsyncClient(http);

        await AssertFailedWithAsync(client, await client.KickOffAsync("/fhir/Patient/pat-1"), "login");
        var ready = await FhirAssert.JsonAsync(await http.GetAsync("/health/ready", ct), HttpStatusCode.ServiceUnavailable);
        Assert.Contains("refuses the facade's credentials", ready.GetProperty("checks").GetProperty("upstream").GetProperty("description").GetString());
    }

    private async Task AssertAuthenticatedAsync(Dictionary<string, string?> settings)
    {
        await using var app = new FacadeApplication(settings).Start();
        var http = app.CreateRawClient();

        using var search = await http.GetAsync("/fhir/Patient?_count=3", ct);
        var bundle = await FhirAssert.JsonAsync(search);
        var ready = await FhirAssert.JsonAsync(await http.GetAsync("/health/ready", ct));

        Assert.Equal(3, bundle.GetProperty("entry").GetArrayLength());
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("upstream").GetProperty("status").GetString());
        // Both calls shared one token, fetched from the endpoint the SMART configuration named.
        Assert.Single(app.GetRequiredService<SampleTokenIssuer>().Issued);
        Assert.Equal(1, app.GetRequiredService<UpstreamTokenSource>().TokensIssued);
    }

    /// <summary>
    /// The job failed with this code: an export's status answers the OperationOutcome itself; an interaction in bundle
    /// mode answers a batch-response whose one entry carries it (the async pattern's wire contract for a failed job).
    /// </summary>
    private static async Task AssertFailedWithAsync(AsyncClient client, string status, string code)
    {
        using var done = await client.WaitAsync(status);
        var body = await done.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var root = JsonDocument.Parse(body).RootElement;
        var outcome = root.GetProperty("resourceType").GetString() == "Bundle"
            ? AsyncClient.SingleEntry(root).GetProperty("response").GetProperty("outcome")
            : root;
        Assert.True((int)done.StatusCode >= 400 || root.GetProperty("resourceType").GetString() == "Bundle", $"the job did not fail: {(int)done.StatusCode} {body}");
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        Assert.Equal(code, outcome.GetProperty("issue")[0].GetProperty("code").GetString());
    }
}
