using System.Net.Http.Headers;
using System.Text.Json;

namespace AsyncFacade.Tests.Security.Oidc;

/// <summary>A backend client registered at a tenant: gets real access tokens from the tenant's token endpoint.</summary>
public sealed class OidcClient(OidcTenant tenant, string clientId, AuthIssuerClientKey key)
{
    public string ClientId => clientId;

    /// <summary>
    /// client_credentials with a private_key_jwt assertion (SMART Backend Services), for <paramref name="resource"/>
    /// (the token's `aud`: the facade's FHIR base URL); returns the JWT access token.
    /// </summary>
    public async Task<string> GetTokenAsync(string scope, string resource, CancellationToken cancellationToken)
    {
        using var response = await RequestTokenAsync(scope, resource, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"The test OpenID provider refused a token to {clientId}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    public Task<HttpResponseMessage> RequestTokenAsync(string scope, string resource, CancellationToken cancellationToken)
    {
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = scope,
            ["resource"] = resource,
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = key.Assertion(clientId, tenant.TokenEndpoint),
        });
        return OidcProvider.Http.PostAsync(tenant.TokenEndpoint, form, cancellationToken);
    }

    /// <summary>A GET with the token as `Authorization: Bearer`.</summary>
    public static HttpRequestMessage Get(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
