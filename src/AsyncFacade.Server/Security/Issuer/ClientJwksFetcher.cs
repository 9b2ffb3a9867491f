using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Server.Security.Issuer;

/// <summary>
/// The keys behind a registered JWKS URL (SMART Backend Services: the server fetches the client's JWKS URL and may
/// cache it; a key id it does not know means the client rotated its keys, so the set is fetched again). Fetched
/// through the SSRF-guarded client, with a short deadline and a size cap; cached per URL for
/// <see cref="CacheLifetime"/>, re-fetched for an unknown kid at most once per <see cref="MinRefetchInterval"/>, so a
/// client that sends made-up kids cannot make this server hammer its JWKS host.
/// </summary>
internal sealed class ClientJwksFetcher(IHttpClientFactory httpClients, TimeProvider time, ILogger<ClientJwksFetcher> logger)
{
    public const string ClientName = "issuer-jwks";

    /// <summary>A JWKS with a handful of RSA keys is a few KB; 64 KiB refuses anything else before it is parsed.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The token request waits for this fetch: a JWKS host slower than this is treated as down.</summary>
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MinRefetchInterval = TimeSpan.FromSeconds(10);

    // One entry per registered URL; registrations are capped, and this bound holds even if entries outlive them.
    private const int MaxCachedUrls = 1000;

    private readonly ConcurrentDictionary<string, CachedKeys> cache = new(StringComparer.Ordinal);

    /// <summary>The usable keys at <paramref name="url"/>, fetched when not cached, stale, or when none has <paramref name="kid"/>.</summary>
    /// <returns>The keys, or null with the reason (read after "The client's JWKS URL ").</returns>
    public async Task<(IReadOnlyList<SecurityKey>? Keys, string? Problem)> GetAsync(string url, string? kid, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (cache.TryGetValue(url, out var cached) && now - cached.FetchedAt < CacheLifetime
            && (kid is null || cached.Keys.Any(k => k.KeyId == kid) || now - cached.FetchedAt < MinRefetchInterval))
        {
            return (cached.Keys, null);
        }
        var (keys, problem) = await FetchAsync(new Uri(url), cancellationToken);
        if (keys is null)
        {
            return (null, problem);
        }
        if (cache.Count >= MaxCachedUrls)
        {
            cache.Clear(); // rare (more URLs than registrations allow): refetching is cheaper than tracking age
        }
        cache[url] = new CachedKeys(keys, now);
        return (keys, null);
    }

    /// <summary>One guarded GET, no cache: at registration, so the registrant learns at once that the URL works.</summary>
    public async Task<(IReadOnlyList<SecurityKey>? Keys, string? Problem)> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(FetchTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await httpClients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                return Failed(url, $"answered {(int)response.StatusCode} (redirects are not followed).");
            }
            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                return Failed(url, $"returned more than {MaxBytes} bytes.");
            }
            var json = await ReadBoundedAsync(response.Content, deadline.Token);
            if (json is null)
            {
                return Failed(url, $"returned more than {MaxBytes} bytes.");
            }
            var keys = ClientAssertionKeys.Parse(json, out var error);
            return keys is null ? Failed(url, $"returned a JWKS that {error}.") : (keys, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(url, $"did not answer within {FetchTimeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException e)
        {
            return Failed(url, GuardedConnector.FindRefusal(e) is { } refusal
                ? $"is refused: {refusal.Message}."
                : "could not be reached.");
        }
    }

    private (IReadOnlyList<SecurityKey>?, string?) Failed(Uri url, string problem)
    {
        ClientRegistrationLog.JwksFetchFailed(logger, url.Host, problem);
        return (null, problem);
    }

    private static async Task<string?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }
        return total > MaxBytes ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, total);
    }

    private sealed record CachedKeys(IReadOnlyList<SecurityKey> Keys, DateTimeOffset FetchedAt);
}
