using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Tests.Security.Scopes;

/// <summary>
/// A facade with `Auth:Enabled` (an HS256 test JWKS, as in <see cref="AuthTests"/>) over the embedded sample upstream and
/// its synthetic data. Tokens carry `scope`, and `patient` / `fhirUser` when a test gives them; the upstream is also read
/// directly (at /upstream/fhir, outside the facade's auth) to find patients and their resources.
/// </summary>
public class ScopedFacade : IAsyncLifetime
{
    public const string PatientA = "pat-1";
    public const string PatientB = "pat-2";

    private static readonly TestTokenIssuer Issuer = new();

    public FacadeApplication App { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        App = new FacadeApplication(Settings()).Start();
        Http = App.CreateRawClient();
        await ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.DisposeAsync();
    }

    protected virtual Dictionary<string, string?> Settings() => Issuer.Settings();

    public static string Token(string scope, string? patient = null, string? fhirUser = null, string clientId = "scoped-client") =>
        Issuer.Token(clientId, scope, patient: patient, fhirUser: fhirUser);

    /// <summary>A client whose every request carries <paramref name="token"/> (for <see cref="AsyncClient"/>, whose polls need it too).</summary>
    public HttpClient ClientWith(string token)
    {
        var client = App.CreateRawClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string token, string? body = null,
        string contentType = "application/fhir+json", string? prefer = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (prefer is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        return Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> GetAsync(string url, string token) => SendAsync(HttpMethod.Get, url, token);

    /// <summary>A searchset straight from the sample upstream, bypassing the facade.</summary>
    public async Task<List<JsonElement>> UpstreamSearchAsync(string query) =>
        Resources(await FhirAssert.JsonAsync(await Http.GetAsync("/upstream/fhir/" + query, TestContext.Current.CancellationToken)));

    /// <summary>The ids of <paramref name="patient"/>'s generated Observations of one category (laboratory or vital-signs).</summary>
    public async Task<List<string>> ObservationsAsync(string patient, string category) =>
        [.. (await UpstreamSearchAsync($"Observation?patient=Patient/{patient}&_count=100"))
            .Where(o => CategoryOf(o) == category).Select(o => o.GetProperty("id").GetString()!)];

    public static List<JsonElement> Resources(JsonElement bundle) =>
        bundle.TryGetProperty("entry", out var entries) ? [.. entries.EnumerateArray().Select(e => e.GetProperty("resource"))] : [];

    public static string? SubjectOf(JsonElement resource) =>
        resource.TryGetProperty("subject", out var subject) ? subject.GetProperty("reference").GetString() : null;

    public static string? CategoryOf(JsonElement observation) =>
        observation.TryGetProperty("category", out var category) ? category[0].GetProperty("coding")[0].GetProperty("code").GetString() : null;

    /// <summary>Asserts a 403 OperationOutcome `forbidden` with the `insufficient_scope` challenge; returns its diagnostics.</summary>
    public static async Task<string> RefusedAsync(HttpResponseMessage response, string? scope = null)
    {
        var outcome = await FhirAssert.OperationOutcomeAsync(response, System.Net.HttpStatusCode.Forbidden, "forbidden");
        var challenge = Assert.Single(response.Headers.WwwAuthenticate).ToString();
        Assert.Contains("error=\"insufficient_scope\"", challenge);
        if (scope is not null)
        {
            Assert.Contains($"scope=\"{scope}\"", challenge);
        }
        return outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString()!;
    }

    /// <summary>Asserts the 404 `not-found` a resource outside the token's compartment answers with, as if it did not exist.</summary>
    public static async Task NotFoundAsync(HttpResponseMessage response)
    {
        await FhirAssert.OperationOutcomeAsync(response, System.Net.HttpStatusCode.NotFound, "not-found");
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    public static string Observation(string patient, string? id = null) =>
        $$$"""{"resourceType":"Observation",{{{(id is null ? "" : $"\"id\":\"{id}\",")}}}"status":"final","code":{"text":"scoped test"},"subject":{"reference":"Patient/{{{patient}}}"}}""";
}

/// <summary>The shared host of the compartment tests: writes only add resources, so no test can break another's assertions.</summary>
[CollectionDefinition(Name)]
public sealed class ScopedCollection : ICollectionFixture<ScopedFacade>
{
    public const string Name = "Scoped facade";
}
