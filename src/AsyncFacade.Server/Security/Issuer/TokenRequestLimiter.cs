using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Server.Security.Issuer;

/// <summary>
/// Auth:Issuer:TokenRequestsPerMinutePerAddress and …PerClient for `POST /auth/token`: fixed one-minute windows, no queue.
/// These are the limiters ASP.NET Core's rate-limiting middleware runs (System.Threading.RateLimiting), called from the
/// endpoint rather than through the middleware: a middleware policy picks its partition synchronously before the endpoint
/// runs, so it could key on the client only by reading the form body synchronously.
/// </summary>
/// <remarks>
/// Memory stays bounded whatever callers send. The partitioned limiters drop a partition once it has been idle (its window
/// replenished, nothing held) for 10 s, so the address map holds only the addresses seen in about the last 70 s. Client
/// partitions exist only for registered clients: every other claimed id shares one. The client id is read from the
/// request without being verified (the validator checks it afterwards), so it is cheap to count, and a caller can spend a
/// registered client's budget by naming it; the address limit bounds how fast one address can do that.
/// </remarks>
internal sealed class TokenRequestLimiter : IDisposable
{
    public const string Unregistered = "(unregistered)";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly AuthIssuerClients clients;
    private readonly PartitionedRateLimiter<string>? perAddress;
    private readonly PartitionedRateLimiter<string>? perClient;

    public TokenRequestLimiter(IOptions<AuthIssuerOptions> options, AuthIssuerClients clients)
    {
        this.clients = clients;
        PerAddress = options.Value.TokenRequestsPerMinutePerAddress;
        PerClient = options.Value.TokenRequestsPerMinutePerClient;
        perAddress = Create(PerAddress);
        perClient = Create(PerClient);
    }

    public int PerAddress { get; }

    public int PerClient { get; }

    /// <summary>Counts a request against its address; false (with the seconds to wait) when the address is over its limit.</summary>
    public bool TryAcquireAddress(string addressKey, out int retryAfterSeconds) => TryAcquire(perAddress, addressKey, out retryAfterSeconds);

    /// <summary>Counts a request against the client it names (see <see cref="ClientKey"/>).</summary>
    public bool TryAcquireClient(string clientKey, out int retryAfterSeconds) => TryAcquire(perClient, clientKey, out retryAfterSeconds);

    /// <summary>The partition of a claimed client id: the id itself when it is registered (configured or at run time), else one shared partition.</summary>
    public async Task<string> ClientKeyAsync(string? claimed, CancellationToken cancellationToken) =>
        await clients.IsRegisteredAsync(claimed, cancellationToken) ? claimed! : Unregistered;

    /// <summary>The address a request is counted against: IPv4 as it is, IPv6 by its /64, which one host usually holds whole.</summary>
    public static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "(none)";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>
    /// The client a token request claims to be, without verifying it: `client_id` when sent, else the `sub` (then `iss`) of
    /// the assertion, read but not validated. The form is already bounded (<see cref="TokenEndpoint.MaxBodyBytes"/>).
    /// </summary>
    public static string? ClaimedClient(IFormCollection form)
    {
        if (form["client_id"] is { Count: 1 } id && !string.IsNullOrEmpty(id[0]))
        {
            return id[0];
        }
        if (form["client_assertion"] is not { Count: 1 } assertion || string.IsNullOrEmpty(assertion[0]))
        {
            return null;
        }
        try
        {
            var jwt = new JsonWebToken(assertion[0]);
            return jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Sub, out var sub) ? sub
                : jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Iss, out var iss) ? iss : null;
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        perAddress?.Dispose();
        perClient?.Dispose();
    }

    private static PartitionedRateLimiter<string>? Create(int permitsPerMinute) => permitsPerMinute <= 0 ? null
        : PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permitsPerMinute,
            Window = Window,
            QueueLimit = 0,
        }));

    private static bool TryAcquire(PartitionedRateLimiter<string>? limiter, string key, out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        if (limiter is null)
        {
            return true;
        }
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return true;
        }
        retryAfterSeconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
            : (int)Window.TotalSeconds;
        return false;
    }
}
