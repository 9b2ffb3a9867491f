using System.Net;
using System.Text.Json;

namespace AsyncFacade.Client.Auth;

/// <summary>
/// Gets SMART Backend Services access tokens and keeps one cached: a fresh signed assertion per token request, the token
/// endpoint discovered from `.well-known/smart-configuration` when not given, and a new token shortly before the cached
/// one expires, so long jobs and their downloads never present an expired token.
/// </summary>
public sealed class SmartTokenProvider : IDisposable
{
    private readonly Uri fhirBase;
    private readonly SmartBackendServicesOptions options;
    private readonly HttpClient http;
    private readonly TimeProvider time;
    private readonly ClientAssertionKey key;
    private readonly SemaphoreSlim gate = new(1, 1);
    private Uri? tokenEndpoint;
    private (string Token, DateTimeOffset RefreshAt)? cached;

    /// <param name="http">Sends the discovery and token requests (no bearer token on them).</param>
    public SmartTokenProvider(Uri fhirBase, SmartBackendServicesOptions options, HttpClient http, TimeProvider? time = null)
    {
        this.fhirBase = fhirBase;
        this.options = options;
        this.http = http;
        this.time = time ?? TimeProvider.System;
        key = ClientAssertionKey.Parse(options.PrivateKey, options.KeyId);
        tokenEndpoint = options.TokenEndpoint;
    }

    /// <summary>Access tokens fetched so far.</summary>
    public int TokensIssued { get; private set; }

    /// <summary>A token that is not about to expire.</summary>
    /// <param name="rejected">A token the server refused (401): a new one is fetched unless another caller already did.</param>
    public async Task<string> GetTokenAsync(string? rejected, CancellationToken cancellationToken)
    {
        if (Usable(cached, rejected) is { } token)
        {
            return token;
        }
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (Usable(cached, rejected) is { } fetchedMeanwhile)
            {
                return fetchedMeanwhile;
            }
            var endpoint = tokenEndpoint ??= await DiscoverAsync(cancellationToken);
            var (fresh, lifetime) = await RequestTokenAsync(endpoint, cancellationToken);
            // Renew with a fifth of the lifetime left (at most a minute early), so a token never expires mid-request.
            var margin = TimeSpan.FromTicks(Math.Min(lifetime.Ticks / 5, TimeSpan.FromMinutes(1).Ticks));
            cached = (fresh, time.GetUtcNow() + lifetime - margin);
            TokensIssued++;
            return fresh;
        }
        finally
        {
            gate.Release();
        }
    }

    private string? Usable((string Token, DateTimeOffset RefreshAt)? entry, string? rejected) =>
        entry is { } e && e.Token != rejected && time.GetUtcNow() < e.RefreshAt ? e.Token : null;

    public void Dispose()
    {
        key.Dispose();
        gate.Dispose();
    }

    private async Task<Uri> DiscoverAsync(CancellationToken cancellationToken)
    {
        var url = new Uri(fhirBase.ToString().TrimEnd('/') + "/.well-known/smart-configuration");
        using var response = await http.GetAsync(url, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new FhirAsyncException(FailureKind.Unauthorized, $"SMART discovery at {url} answered {(int)response.StatusCode}; give the token endpoint explicitly.", response.StatusCode);
        }
        using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        return document.RootElement.TryGetProperty("token_endpoint", out var endpoint) && Uri.TryCreate(endpoint.GetString(), UriKind.Absolute, out var uri)
            ? uri
            : throw new FhirAsyncException(FailureKind.Unauthorized, $"SMART discovery at {url} names no token_endpoint.");
    }

    private async Task<(string Token, TimeSpan Lifetime)> RequestTokenAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var assertion = key.Sign(new Dictionary<string, object>
        {
            ["iss"] = options.ClientId,
            ["sub"] = options.ClientId,
            ["aud"] = endpoint.ToString(),
            ["exp"] = (now + options.AssertionLifetime).ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        });
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = options.Scope,
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
        });
        using var response = await http.PostAsync(endpoint, form, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        JsonElement json;
        try
        {
            json = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            json = default;
        }
        if (response.StatusCode != HttpStatusCode.OK || json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("access_token", out var token))
        {
            var error = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("error", out var e) ? e.GetString() : null;
            var description = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("error_description", out var d) ? d.GetString() : null;
            var kind = (int)response.StatusCode is >= 500 or 429 ? FailureKind.Transient : FailureKind.Unauthorized;
            throw new FhirAsyncException(kind, $"The token endpoint {endpoint} answered {(int)response.StatusCode}: {error} {description}".TrimEnd(), response.StatusCode);
        }
        var seconds = json.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var s) ? s : 300;
        return (token.GetString()!, TimeSpan.FromSeconds(Math.Max(1, seconds)));
    }
}
