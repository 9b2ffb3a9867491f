using AsyncFacade.Server.Fhir;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Server.Security.Authority;

/// <summary>
/// The `Auth:Authority` discovery document and keys, as JwtBearer, SMART discovery and readiness see them. Ours, not
/// IdentityModel's ConfigurationManager, because that one will not refresh more often than every 5 minutes (so a
/// removed key could not be shown to stop verifying in a test) and hides whether it has ever read the keys (which
/// decides between 401 and 503). Being a <see cref="BaseConfigurationManager"/>, JwtBearer hands it to the token
/// handler, which on an unknown `kid` or issuer asks for a refresh and validates again in the same request.
/// <list type="bullet">
/// <item>Read again every `Auth:MetadataRefreshSeconds` (a key the provider removed stops verifying then), or when
/// a token asks for it, at most once per `Auth:MetadataMinimumRefreshSeconds`.</item>
/// <item>A failed read keeps the last keys (tokens keep working while the provider is down) and is retried after the
/// minimum interval; before the first good read, after 1, 2, 4… s up to that interval (30 s at most).</item>
/// <item>No last-known-good fallback: a key the provider withdrew must stop verifying.</item>
/// </list>
/// </summary>
internal sealed class AuthorityConfiguration : BaseConfigurationManager, IConfigurationManager<OpenIdConnectConfiguration>
{
    /// <summary>How long a request waits for a refresh when keys are cached: a slow provider must not stall every request.</summary>
    private static readonly TimeSpan StaleWait = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);

    /// <summary>Before the first good read every token gets a 503, so a provider that comes back is noticed within this.</summary>
    private static readonly TimeSpan MaxRetryWithoutKeys = TimeSpan.FromSeconds(30);

    private readonly string? address;
    private readonly IDocumentRetriever documents;
    private readonly TimeSpan automaticRefresh;
    private readonly TimeSpan minimumRefresh;
    private readonly TimeProvider time;
    private readonly ILogger<AuthorityConfiguration> logger;
    private readonly Lock gate = new();
    private OpenIdConnectConfiguration? current;
    private DateTimeOffset cachedAt;
    private DateTimeOffset syncAfter = DateTimeOffset.MinValue;
    private DateTimeOffset lastRequested = DateTimeOffset.MinValue;
    private TimeSpan retryDelay = FirstRetry;
    private Task<OpenIdConnectConfiguration>? inflight;

    public AuthorityConfiguration(IOptions<AuthOptions> options, IHttpClientFactory clients, TimeProvider time, ILogger<AuthorityConfiguration> logger)
    {
        var settings = options.Value;
        Authority = string.IsNullOrWhiteSpace(settings.Authority) ? null : settings.Authority.TrimEnd('/');
        address = Authority is null ? null : Authority + "/.well-known/openid-configuration";
        MetadataAddress = address;
        documents = new AuthorityDocuments(clients, requireHttps: Authority?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true);
        automaticRefresh = TimeSpan.FromSeconds(settings.MetadataRefreshSeconds);
        minimumRefresh = TimeSpan.FromSeconds(settings.MetadataMinimumRefreshSeconds);
        this.time = time;
        this.logger = logger;
        UseLastKnownGoodConfiguration = false;
    }

    /// <summary>The configured authority without a trailing slash; null when there is none.</summary>
    public string? Authority { get; }

    /// <summary>The last document read, with its keys; null until the first good read.</summary>
    public OpenIdConnectConfiguration? Current => current;

    /// <summary>When <see cref="Current"/> was read.</summary>
    public DateTimeOffset? CachedAt => current is null ? null : cachedAt;

    /// <summary>Seconds until the next read is due (at least 1): the `Retry-After` of a 503.</summary>
    public int RetryAfterSeconds
    {
        get
        {
            lock (gate)
            {
                return SecondsUntilSync();
            }
        }
    }

    /// <summary>The document, read now if due. Throws <see cref="InvalidOperationException"/> when none was ever read and this read failed too.</summary>
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        if (address is null)
        {
            throw new InvalidOperationException("Auth:Authority is not set.");
        }
        Task<OpenIdConnectConfiguration> refresh;
        OpenIdConnectConfiguration? cached;
        lock (gate)
        {
            cached = current;
            if (inflight is { IsCompleted: true })
            {
                inflight = null;
            }
            if (inflight is null && time.GetUtcNow() < syncAfter)
            {
                return cached ?? throw new InvalidOperationException($"The identity provider's discovery document {address} has not been read yet; next try in {SecondsUntilSync()} s.");
            }
            refresh = inflight ??= FetchAsync();
        }
        if (cached is null)
        {
            return await refresh.WaitAsync(cancel);
        }
        try
        {
            return await refresh.WaitAsync(StaleWait, cancel);
        }
        catch (TimeoutException)
        {
            return cached;
        }
    }

    public override async Task<BaseConfiguration> GetBaseConfigurationAsync(CancellationToken cancel) => await GetConfigurationAsync(cancel);

    /// <summary>A token named a key or issuer we do not know: read again now, unless a refresh was asked for less than the minimum interval ago.</summary>
    public override void RequestRefresh()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (now < lastRequested + minimumRefresh)
            {
                AuthorityLog.RefreshRequested(logger, $"not before {lastRequested + minimumRefresh:O} (Auth:MetadataMinimumRefreshSeconds)");
                return;
            }
            lastRequested = now;
            syncAfter = now;
            AuthorityLog.RefreshRequested(logger, "now");
        }
    }

    /// <summary>503 `transient` + `Retry-After`: the provider has not answered yet, so nothing can be verified (not a misleading 401).</summary>
    public IResult Unavailable(string diagnostics) =>
        FhirResults.RetryLater(StatusCodes.Status503ServiceUnavailable, OperationOutcome.IssueType.Transient, diagnostics, RetryAfterSeconds);

    private int SecondsUntilSync() => Math.Max(1, (int)Math.Ceiling((syncAfter - time.GetUtcNow()).TotalSeconds));

    private async Task<OpenIdConnectConfiguration> FetchAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(FetchTimeout);
            var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(address, documents, timeout.Token);
            return configuration.SigningKeys.Count > 0
                ? Succeeded(configuration)
                : throw new InvalidDataException($"its JWKS ({configuration.JwksUri ?? "no jwks_uri"}) has no signing keys");
        }
        catch (Exception ex)
        {
            return Failed(ex);
        }
    }

    private OpenIdConnectConfiguration Succeeded(OpenIdConnectConfiguration configuration)
    {
        OpenIdConnectConfiguration? previous;
        lock (gate)
        {
            previous = current;
            current = configuration;
            cachedAt = time.GetUtcNow();
            syncAfter = cachedAt + automaticRefresh;
            retryDelay = FirstRetry;
        }
        var kids = configuration.SigningKeys.Select(k => k.KeyId ?? "(no kid)").ToHashSet(StringComparer.Ordinal);
        if (previous is null)
        {
            AuthorityLog.Refreshed(logger, address!, configuration.Issuer, string.Join(", ", kids), (int)automaticRefresh.TotalSeconds);
        }
        else
        {
            var before = previous.SigningKeys.Select(k => k.KeyId ?? "(no kid)").ToHashSet(StringComparer.Ordinal);
            if (!before.SetEquals(kids))
            {
                AuthorityLog.KeysChanged(logger, string.Join(", ", kids.Except(before)), string.Join(", ", before.Except(kids)));
            }
        }
        return configuration;
    }

    private OpenIdConnectConfiguration Failed(Exception failure)
    {
        var reason = failure.InnerException is { } inner ? $"{failure.Message} {inner.Message}" : failure.Message;
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (current is not null)
            {
                syncAfter = now + minimumRefresh;
                AuthorityLog.RefreshFailedUsingCache(logger, address!, reason, cachedAt, (int)minimumRefresh.TotalSeconds);
                return current;
            }
            syncAfter = now + retryDelay;
            AuthorityLog.RefreshFailedNoKeys(logger, address!, reason, (int)retryDelay.TotalSeconds);
            var longest = minimumRefresh < MaxRetryWithoutKeys ? minimumRefresh : MaxRetryWithoutKeys;
            retryDelay = retryDelay * 2 < longest ? retryDelay * 2 : longest;
        }
        throw new InvalidOperationException($"The identity provider's discovery document {address} could not be read: {reason}", failure);
    }
}
