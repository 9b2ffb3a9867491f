using System.Security.Claims;
using AsyncFacade.Server.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Server.Security.Issuer;

/// <summary>
/// `POST /auth/token`: SMART Backend Services client_credentials with a private_key_jwt assertion (RFC 6749 §4.4,
/// RFC 7523 §2.2). Every failure is an RFC 6749 §5.2 error body; nothing here logs the assertion or the token.
/// </summary>
internal sealed class TokenEndpoint(
    ClientAssertionValidator assertions,
    AuthIssuerKeys keys,
    TokenRequestLimiter limiter,
    PublicBaseUrl publicBaseUrl,
    IOptions<AuthIssuerOptions> options,
    IOptions<ServerOptions> server,
    TimeProvider time,
    ILogger<TokenEndpoint> logger)
{
    public const string Path = "/auth/token";

    /// <summary>
    /// A token request is five short fields; the assertion, the longest, is a few hundred bytes to ~2 KB (ES384 /
    /// RS384 with a small header). 16 KiB leaves room for long scope lists and refuses anything that is not a token request.
    /// </summary>
    public const int MaxBodyBytes = 16 * 1024;

    private static readonly FormOptions FormLimits = new() { ValueCountLimit = 16, KeyLengthLimit = 64, ValueLengthLimit = MaxBodyBytes };
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public async Task<IResult> IssueAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var httpContext = request.HttpContext;
        // RFC 6749 §5.1: token responses, errors included, must not be cached.
        httpContext.Response.Headers.CacheControl = "no-store";
        httpContext.Response.Headers.Pragma = "no-cache";

        // The address first, before the body is read: a flood costs no parsing.
        var address = TokenRequestLimiter.AddressKey(httpContext.Connection.RemoteIpAddress);
        if (!limiter.TryAcquireAddress(address, out var wait))
        {
            return Limited(httpContext, "address", address, limiter.PerAddress, wait);
        }
        var (form, formError) = await ReadFormAsync(request, cancellationToken);
        var claimed = form is null ? null : TokenRequestLimiter.ClaimedClient(form);
        var clientKey = await limiter.ClientKeyAsync(claimed, cancellationToken);
        if (form is not null && !limiter.TryAcquireClient(clientKey, out wait))
        {
            return Limited(httpContext, "client", clientKey, limiter.PerClient, wait);
        }
        var (client, error) = form is null ? (null, formError) : await AuthenticateAsync(form, request);
        if (error is not null || client is null)
        {
            error ??= TokenEndpointError.InvalidClient("The client could not be authenticated.");
            SecurityAudit.TokenRequestRefused(httpContext, error.Error, client?.ClientId ?? claimed, error.Description);
            return error.ToResult();
        }

        var granted = AuthIssuerScopes.Grant(AuthIssuerScopes.Split(form!["scope"]), client.Scopes);
        if (granted.Count == 0)
        {
            error = TokenEndpointError.InvalidScope("None of the requested scopes is allowed for this client.");
            SecurityAudit.TokenRequestRefused(httpContext, error.Error, client.ClientId, error.Description);
            return error.ToResult();
        }
        var scope = string.Join(' ', granted);
        var lifetime = client.TokenLifetimeSeconds ?? options.Value.TokenLifetimeSeconds;
        var accessToken = CreateAccessToken(client.ClientId, scope, lifetime, request);
        SecurityAudit.TokenIssued(httpContext, client.ClientId, scope, lifetime);
        return TypedResults.Ok(new TokenEndpointResponse(accessToken, "bearer", lifetime, scope));
    }

    /// <summary>429 `slow_down` with Retry-After (RFC 6585 §4), in OAuth's error format like every other answer here.</summary>
    private static IResult Limited(HttpContext httpContext, string limit, string key, int perMinute, int retryAfterSeconds)
    {
        httpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        SecurityAudit.TokenRequestsLimited(httpContext, limit, key, perMinute, retryAfterSeconds);
        return TokenEndpointError.SlowDown(
            $"Too many token requests from this {limit}: at most {perMinute} a minute. Retry after {retryAfterSeconds} s; a token is valid for several minutes, so reuse it.").ToResult();
    }

    private async Task<(AuthIssuerRegistration?, TokenEndpointError?)> AuthenticateAsync(IFormCollection form, HttpRequest request)
    {
        string? Field(string name) => form[name] is { Count: 1 } value && !string.IsNullOrEmpty(value[0]) ? value[0] : null;

        // RFC 6749 §3.2: parameters must not be repeated; a missing one is invalid_request.
        var repeated = form.Keys.FirstOrDefault(k => form[k].Count > 1);
        if (repeated is not null)
        {
            return (null, TokenEndpointError.InvalidRequest($"Parameter {repeated} is repeated."));
        }
        var grantType = Field("grant_type");
        if (grantType is null)
        {
            return (null, TokenEndpointError.InvalidRequest("grant_type is required."));
        }
        if (grantType != "client_credentials")
        {
            return (null, TokenEndpointError.UnsupportedGrantType("Only grant_type=client_credentials is supported."));
        }
        if (Field("client_assertion_type") != ClientAssertionValidator.AssertionType)
        {
            return (null, TokenEndpointError.InvalidRequest($"client_assertion_type must be {ClientAssertionValidator.AssertionType}."));
        }
        if (Field("client_assertion") is not { } assertion)
        {
            return (null, TokenEndpointError.InvalidRequest("client_assertion is required."));
        }
        if (Field("scope") is null)
        {
            return (null, TokenEndpointError.InvalidRequest("scope is required."));
        }
        var result = await assertions.ValidateAsync(assertion, TokenUrls(request), request.HttpContext.RequestAborted);
        if (result.CacheFull)
        {
            AuthIssuerLog.ReplayCacheFull(logger, ClientAssertionReplayCache.Capacity);
        }
        return (result.Client, result.Error);
    }

    /// <summary>
    /// The aud a client may put in its assertion. With Server:PublicBaseUrl set, only that URL: the request's Host
    /// header is the caller's to choose, so trusting it would let an assertion made for another server be replayed here.
    /// </summary>
    private IReadOnlyCollection<string> TokenUrls(HttpRequest request)
    {
        var configured = server.Value.PublicBaseUrl;
        var origin = string.IsNullOrEmpty(configured)
            ? $"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}"
            : configured.TrimEnd('/');
        return [origin + Path];
    }

    private string CreateAccessToken(string clientId, string scope, int lifetimeSeconds, HttpRequest request)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var audience = options.Value.Audience;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = keys.Issuer,
            Audience = string.IsNullOrEmpty(audience) ? publicBaseUrl.FhirBase(request) : audience,
            // RFC 9068 §2.1: typ at+jwt marks an access token, so it cannot be mistaken for an ID token or an assertion.
            TokenType = "at+jwt",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddSeconds(lifetimeSeconds),
            SigningCredentials = keys.SigningCredentials,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, clientId),
                new Claim("client_id", clientId),
                new Claim("scope", scope),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            ]),
        });
    }

    private static async Task<(IFormCollection?, TokenEndpointError?)> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
        {
            return (null, TokenEndpointError.InvalidRequest("The body must be application/x-www-form-urlencoded."));
        }
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, TokenEndpointError.InvalidRequest($"The body is larger than {MaxBodyBytes} bytes."));
        }
        // A chunked body has no Content-Length: Kestrel stops it at the limit while the form is read.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }
        try
        {
            return (await request.ReadFormAsync(FormLimits, cancellationToken), null);
        }
        catch (Exception e) when (e is BadHttpRequestException or InvalidDataException)
        {
            return (null, TokenEndpointError.InvalidRequest("The form body could not be read (too large or malformed)."));
        }
    }
}
