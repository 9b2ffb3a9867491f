using System.Collections.Concurrent;
using System.Security.Cryptography;
using AsyncFacade.SampleUpstream.Profiles;
using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream.Auth;

/// <summary>
/// The access tokens the sample upstream has issued, as opaque random strings remembered in memory until they expire:
/// like a real server's token store, <see cref="Restart"/> forgets them all at once.
/// </summary>
internal sealed class SampleTokenIssuer(IOptions<SampleUpstreamOptions> options, TimeProvider time)
{
    // Expired tokens are swept when this many are held, so a long run stays bounded.
    private const int SweepAbove = 10_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> issued = new();

    private AuthQuirks Auth => options.Value.Auth;

    /// <summary>Every token handed out since start, in order (tests check that none of them reaches a log or a record).</summary>
    public IReadOnlyList<string> Issued => [.. issued];

    /// <summary>A new token and how long it lives.</summary>
    public (string Token, int LifetimeSeconds) Issue()
    {
        if (tokens.Count > SweepAbove)
        {
            var now = time.GetUtcNow();
            foreach (var (token, expires) in tokens)
            {
                if (expires <= now)
                {
                    tokens.TryRemove(token, out _);
                }
            }
        }
        var lifetime = Math.Max(1, Auth.TokenLifetimeSeconds);
        var value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        tokens[value] = time.GetUtcNow().AddSeconds(lifetime);
        issued.Enqueue(value);
        return (value, lifetime);
    }

    /// <summary>Null when the token is current; else why it is not (for the 401's error_description).</summary>
    public string? Check(string token) =>
        !tokens.TryGetValue(token, out var expires) ? "The access token is unknown (never issued here, or issued before a restart)."
        : expires <= time.GetUtcNow() ? "The access token has expired."
        : null;

    /// <summary>Simulates a restart of the server: every token issued so far stops working.</summary>
    public void Restart() => tokens.Clear();
}
