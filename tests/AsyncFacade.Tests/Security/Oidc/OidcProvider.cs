using System.Net.Http.Json;
using System.Text.Json;

namespace AsyncFacade.Tests.Security.Oidc;

/// <summary>
/// The real OpenID provider that ./test.sh starts (tests/oidc/provider.mjs: oidc-provider from npm), reached through
/// its admin API. Every caller gets its own tenant (issuer, keys, clients, outages), so tests run in parallel without
/// seeing each other. A missing address fails the test: never a skip, never a fake provider.
/// </summary>
public static class OidcProvider
{
    public const string EnvironmentVariable = "ASYNCFACADE_TEST_OIDC";

    internal static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };

    public static Uri BaseAddress =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? new Uri(value.TrimEnd('/') + "/")
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. Run the suite with ./test.sh, which installs and starts the test OpenID provider (tests/oidc) and sets it.");

    /// <summary>A new tenant: its own Provider at /t/{name} with one RS256 signing key; tokens default to <paramref name="audience"/>.</summary>
    public static async Task<OidcTenant> CreateTenantAsync(string? audience, CancellationToken cancellationToken)
    {
        var created = await SendAsync(HttpMethod.Post, "admin/tenants", new { audience }, cancellationToken);
        return new OidcTenant(created.GetProperty("name").GetString()!, created.GetProperty("issuer").GetString()!,
            created.GetProperty("tokenEndpoint").GetString()!, created.GetProperty("kids")[0].GetString()!);
    }

    internal static async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseAddress, path)) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text).RootElement.Clone()
            : throw new InvalidOperationException($"The test OpenID provider refused {method} {path}: {(int)response.StatusCode} {text}");
    }
}
