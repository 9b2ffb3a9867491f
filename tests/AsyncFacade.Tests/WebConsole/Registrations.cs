using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;
using AsyncFacade.Tests.Security;

namespace AsyncFacade.Tests.WebConsole;

/// <summary>What the tests do with `/auth/clients` and `/auth/token`, over real HTTP.</summary>
internal static class Registrations
{
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public static Task<HttpResponseMessage> PostAsync(HttpClient http, object body, CancellationToken ct) =>
        http.PostAsJsonAsync("/auth/clients", body, ct);

    /// <summary>Registers and returns the 201 body.</summary>
    public static async Task<JsonElement> RegisterAsync(HttpClient http, object body, CancellationToken ct)
    {
        using var response = await PostAsync(http, body, ct);
        return await FhirAssert.JsonAsync(response, HttpStatusCode.Created);
    }

    public static async Task<HttpResponseMessage> TokenAsync(HttpClient http, string tokenUrl, string clientId, AuthIssuerClientKey key,
        string scope, CancellationToken ct)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = scope,
            ["client_assertion_type"] = AssertionType,
            ["client_assertion"] = key.Assertion(clientId, tokenUrl),
        });
        return await http.PostAsync(tokenUrl, form, ct);
    }

    /// <summary>Asserts a token is issued and returns the response body.</summary>
    public static async Task<JsonElement> TokenBodyAsync(HttpClient http, string tokenUrl, string clientId, AuthIssuerClientKey key, string scope,
        CancellationToken ct)
    {
        using var response = await TokenAsync(http, tokenUrl, clientId, key, scope, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"token request answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
