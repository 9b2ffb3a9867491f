using AsyncFacade.Client.Auth;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Upstream.Credentials;

/// <summary>
/// The facade's upstream credential, shared by every job call, pass-through call and readiness probe: the static
/// Upstream:BearerToken, or one cached token from the upstream's token endpoint, renewed before it expires and when
/// the upstream refuses it. Single-flight: however many calls find the token due at once, one token request is made
/// and they all wait for it, so 32 concurrent export units cost one request, not 32.
/// </summary>
internal sealed class UpstreamTokenSource : IDisposable
{
    public const string ClientName = "upstream-token";

    private readonly UpstreamOptions options;
    private readonly UpstreamEndpoint endpoint;
    private readonly IHttpClientFactory clients;
    private readonly TimeProvider time;
    private readonly ILogger<UpstreamTokenSource> logger;
    private readonly Lazy<ClientAssertionKey?> key;
    private readonly SemaphoreSlim gate = new(1, 1);
    private TokenEndpointTarget? target;
    private volatile CachedToken? cached;
    private volatile UpstreamAuthRefusal? refusal;
    private int issued;

    public UpstreamTokenSource(IOptions<UpstreamOptions> options, UpstreamEndpoint endpoint, IHttpClientFactory clients, TimeProvider time,
        ILogger<UpstreamTokenSource> logger)
    {
        this.options = options.Value;
        this.endpoint = endpoint;
        this.clients = clients;
        this.time = time;
        this.logger = logger;
        Mode = this.options.Auth.EffectiveMode(this.options.BearerToken);
        // Parsed once (the validator has checked it at start); the key stays in memory, never in a log or a record.
        key = new(() => Mode == UpstreamAuthModes.PrivateKeyJwt
            ? ClientAssertionKey.Parse(this.options.Auth.ReadPrivateKey()!, string.IsNullOrWhiteSpace(this.options.Auth.KeyId) ? null : this.options.Auth.KeyId)
            : null);
    }

    public string Mode { get; }

    /// <summary>The facade sends a credential of its own (which replaces the caller's Authorization).</summary>
    public bool IsActive => Mode != UpstreamAuthModes.None;

    /// <summary>Tokens come from a token endpoint, so a refused one can be replaced.</summary>
    public bool Renews => Mode is UpstreamAuthModes.ClientSecret or UpstreamAuthModes.PrivateKeyJwt;

    /// <summary>Token requests that succeeded since start (tests and operators count renewals with it).</summary>
    public int TokensIssued => Volatile.Read(ref issued);

    /// <summary>Set while the upstream's last word on our credentials was a refusal; cleared by the next accepted call.</summary>
    public UpstreamAuthRefusal? Refusal => refusal;

    /// <summary>
    /// A token that is not about to expire; null in mode none. <paramref name="rejected"/> is a token the upstream has
    /// just refused: a new one is fetched, unless another caller has replaced it already.
    /// </summary>
    public async ValueTask<string?> GetTokenAsync(string? rejected, CancellationToken cancellationToken)
    {
        if (!Renews)
        {
            return IsActive ? options.BearerToken : null;
        }
        if (Usable(rejected) is { } token)
        {
            return token;
        }
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (Usable(rejected) is { } fetchedMeanwhile)
            {
                return fetchedMeanwhile;
            }
            var fresh = await RequestAsync(cancellationToken);
            cached = fresh;
            Interlocked.Increment(ref issued);
            return fresh.Value;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The upstream answered a call made with our credential without refusing it.</summary>
    public void Accepted()
    {
        if (refusal is not null)
        {
            refusal = null;
        }
    }

    /// <summary>The upstream refused our credential although it was current (a static token, or one just issued).</summary>
    public void Refused(string description) => refusal = new UpstreamAuthRefusal(description, time.GetUtcNow());

    public void Dispose()
    {
        if (key.IsValueCreated)
        {
            key.Value?.Dispose();
        }
        gate.Dispose();
    }

    private string? Usable(string? rejected) =>
        cached is { } entry && entry.Value != rejected && time.GetUtcNow() < entry.RenewAt ? entry.Value : null;

    private async Task<CachedToken> RequestAsync(CancellationToken cancellationToken)
    {
        using var http = clients.CreateClient(ClientName);
        var client = new TokenEndpointClient(http, options.Auth, key.Value, time);
        try
        {
            target ??= await client.ResolveAsync(endpoint.BaseUrl, cancellationToken);
            var token = await client.RequestAsync(target, cancellationToken);
            UpstreamLog.TokenIssued(logger, options.Auth.ClientId!, target.Url, (int)(token.ExpiresAt - time.GetUtcNow()).TotalSeconds);
            return token;
        }
        catch (UpstreamAuthException ex)
        {
            UpstreamLog.TokenRefused(logger, options.Auth.ClientId!, ex.Message);
            Refused(ex.Message);
            throw;
        }
    }
}
