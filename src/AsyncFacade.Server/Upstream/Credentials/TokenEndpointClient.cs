using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AsyncFacade.Client.Auth;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Upstream.Credentials;

/// <summary>
/// One OAuth 2.0 client_credentials exchange with the upstream's token endpoint (RFC 6749 §4.4): authenticated with a
/// client secret (§2.3.1, Basic or in the form) or, for SMART Backend Services, a signed assertion (RFC 7523 §2.2).
/// A refusal (4xx) is an <see cref="UpstreamAuthException"/>; a 429, 5xx, network failure or garbled answer is an
/// ordinary <see cref="HttpRequestException"/>, retried by the upstream pipeline like any transient failure.
/// Neither the secret, the assertion nor the token is ever put in an exception message or a log line.
/// </summary>
internal sealed class TokenEndpointClient(HttpClient http, UpstreamAuthOptions options, ClientAssertionKey? key, TimeProvider time)
{
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    // SMART: the assertion's exp SHALL be no more than five minutes in the future; a minute less leaves room for skew.
    private static readonly TimeSpan AssertionLifetime = TimeSpan.FromMinutes(4);

    // Without expires_in (RFC 6749 §5.1: only RECOMMENDED) the token is renewed after this, or at its first 401.
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    private static readonly string[] V1Scopes = ["system/*.read", "system/*.write"];
    private static readonly string[] V2Scopes = ["system/*.rs", "system/*.cud"];

    /// <summary>The configured endpoint, or the one `{base}/.well-known/smart-configuration` names (SMART App Launch §Conformance).</summary>
    public async Task<TokenEndpointTarget> ResolveAsync(string upstreamBase, CancellationToken cancellationToken)
    {
        var configuredScope = options.Scope?.Trim();
        if (!string.IsNullOrEmpty(options.TokenUrl))
        {
            return new TokenEndpointTarget(options.TokenUrl, options.SecretMethod ?? "basic", configuredScope ?? string.Join(' ', V1Scopes));
        }
        var url = upstreamBase.TrimEnd('/') + "/.well-known/smart-configuration";
        using var response = await http.GetAsync(url, cancellationToken);
        if ((int)response.StatusCode is 429 or >= 500)
        {
            throw new HttpRequestException($"The upstream's SMART configuration ({url}) answered {(int)response.StatusCode}.", null, response.StatusCode);
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new UpstreamAuthException(OperationOutcome.IssueType.Login,
                $"The upstream has no SMART configuration at {url} ({(int)response.StatusCode}); set Upstream:Auth:TokenUrl.");
        }
        using var document = await ReadJsonAsync(response, url, cancellationToken);
        var root = document.RootElement;
        if (Text(root, "token_endpoint") is not { } endpoint || !Hosting.AbsoluteHttpUrl.IsValid(endpoint))
        {
            throw new UpstreamAuthException(OperationOutcome.IssueType.Login, $"The upstream's SMART configuration ({url}) names no token_endpoint; set Upstream:Auth:TokenUrl.");
        }
        var methods = Strings(root, "token_endpoint_auth_methods_supported");
        var capabilities = Strings(root, "capabilities");
        // Basic is the one RFC 6749 requires servers to support; post only when the server offers nothing else.
        var secretMethod = options.SecretMethod ?? (methods.Contains("client_secret_post") && !methods.Contains("client_secret_basic") ? "post" : "basic");
        var v2Only = capabilities.Contains("permission-v2") && !capabilities.Contains("permission-v1");
        return new TokenEndpointTarget(endpoint, secretMethod, configuredScope ?? string.Join(' ', v2Only ? V2Scopes : V1Scopes));
    }

    public async Task<CachedToken> RequestAsync(TokenEndpointTarget target, CancellationToken cancellationToken)
    {
        var clientId = options.ClientId!;
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials"), new("scope", target.Scope) };
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url);
        if (key is null)
        {
            var secret = options.ClientSecret!;
            if (target.SecretMethod == "post")
            {
                form.Add(new("client_id", clientId));
                form.Add(new("client_secret", secret));
            }
            else
            {
                // RFC 6749 §2.3.1: both parts form-urlencoded before they are joined and base64-encoded.
                var pair = WebUtility.UrlEncode(clientId) + ":" + WebUtility.UrlEncode(secret);
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
            }
        }
        else
        {
            form.Add(new("client_assertion_type", AssertionType));
            form.Add(new("client_assertion", Assertion(clientId, target.Url)));
        }
        request.Content = new FormUrlEncodedContent(form);
        request.Headers.Accept.ParseAdd("application/json");

        var sentAt = time.GetUtcNow();
        using var response = await http.SendAsync(request, cancellationToken);
        var status = (int)response.StatusCode;
        if (status is 429 or >= 500)
        {
            throw new HttpRequestException($"The upstream's token endpoint {target.Url} answered {status}.", null, response.StatusCode);
        }
        using var document = await ReadJsonAsync(response, target.Url, cancellationToken);
        var root = document.RootElement;
        if (!response.IsSuccessStatusCode)
        {
            // RFC 6749 §5.2: invalid_client, invalid_grant, unauthorized_client, invalid_scope… none of them heals by waiting.
            var error = Text(root, "error") ?? "no error code";
            var description = Text(root, "error_description") is { } d ? ": " + d : "";
            throw new UpstreamAuthException(error == "invalid_scope" ? OperationOutcome.IssueType.Forbidden : OperationOutcome.IssueType.Login,
                $"The upstream's token endpoint {target.Url} refused client '{clientId}' ({status} {error}{description}).");
        }
        if (Text(root, "access_token") is not { Length: > 0 } token)
        {
            throw new HttpRequestException($"The upstream's token endpoint {target.Url} answered {status} without an access_token.");
        }
        var lifetime = root.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : DefaultLifetime;
        return CachedToken.Issued(token, sentAt, lifetime);
    }

    /// <summary>SMART Backend Services: iss = sub = client_id, aud = the token endpoint URL, exp ≤ 5 min, a unique jti.</summary>
    private string Assertion(string clientId, string tokenUrl)
    {
        var now = time.GetUtcNow();
        return key!.Sign(new Dictionary<string, object>
        {
            ["iss"] = clientId,
            ["sub"] = clientId,
            ["aud"] = tokenUrl,
            ["exp"] = (now + AssertionLifetime).ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        });
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, string url, CancellationToken cancellationToken)
    {
        try
        {
            // A token or configuration answer is a few hundred bytes: read whole, unlike data pages.
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }
            document.Dispose();
        }
        catch (JsonException)
        {
        }
        if (!response.IsSuccessStatusCode)
        {
            return JsonDocument.Parse("{}");
        }
        throw new HttpRequestException($"{url} answered {(int)response.StatusCode} with a body that is not a JSON object.");
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static HashSet<string> Strings(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
}
