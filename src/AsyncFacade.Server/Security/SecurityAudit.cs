using System.Security.Claims;
using AsyncFacade.Server.Async;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Server.Security;

/// <summary>
/// The audit log: one structured event per security decision, all in the category <see cref="Category"/> so an operator
/// can route them (e.g. `Logging:LogLevel:AsyncFacade.Security.Audit`) apart from the rest. Events name the client, the
/// address, the request line and the reason; never a token, an assertion, a signature or key material, and no query
/// string (it may carry patient ids). Values a caller chose without proving them (a claimed client id) are cut short.
/// </summary>
/// <remarks>
/// Every event is Information: the category, not the level, marks them as audit, and a refusal is the caller's doing,
/// not a fault of this server (as <see cref="Issuer.AuthIssuerLog"/> reasons). Event ids 8001–8049.
/// </remarks>
internal static partial class SecurityAudit
{
    public const string Category = "AsyncFacade.Security.Audit";

    private const int MaxClaimedLength = 64;

    /// <summary>A bearer token verified (signature, issuer, audience, lifetime); once per request, from JwtBearer's event.</summary>
    public static void TokenAccepted(HttpContext httpContext, ClaimsPrincipal principal, SecurityToken token) =>
        LogTokenAccepted(For(httpContext), JobOwner.Of(principal), token.Issuer, (token as JsonWebToken)?.Kid ?? "(none)",
            string.Join(' ', principal.FindAll("scope").Concat(principal.FindAll("scp")).Select(c => c.Value)),
            httpContext.Request.Method, Path(httpContext), Address(httpContext));

    /// <summary>A bearer token that did not verify; <paramref name="failure"/> gives the reason (its message is not logged).</summary>
    public static void TokenRefused(HttpContext httpContext, Exception? failure) =>
        LogTokenRefused(For(httpContext), Reason(failure), failure?.GetType().Name ?? "(none)", httpContext.Request.Method, Path(httpContext), Address(httpContext));

    /// <summary>A request refused with 401 because it carried no bearer token at all (none, or another scheme such as Basic).</summary>
    public static void TokenMissing(HttpContext httpContext) =>
        LogTokenMissing(For(httpContext), httpContext.Request.Headers.Authorization.Count > 0 ? "not a bearer token" : "no Authorization header",
            httpContext.Request.Method, Path(httpContext), Address(httpContext));

    /// <summary>A verified token without the scopes a request needs (403 insufficient_scope).</summary>
    public static void ScopeRefused(HttpContext httpContext, string neededScopes) =>
        LogScopeRefused(For(httpContext), JobOwner.Of(httpContext.User), neededScopes, httpContext.Request.Method, Path(httpContext), Address(httpContext));

    /// <summary>A caller asking for a job (status, result, file, cancel) another owner started: answered 404.</summary>
    public static void OwnershipRefused(HttpContext httpContext, string jobId, string owner) =>
        LogOwnershipRefused(For(httpContext), JobOwner.Of(httpContext.User), jobId, owner, httpContext.Request.Method, Path(httpContext), Address(httpContext));

    /// <summary>The built-in issuer granted a token.</summary>
    public static void TokenIssued(HttpContext httpContext, string clientId, string scope, int lifetimeSeconds) =>
        LogTokenIssued(For(httpContext), clientId, scope, lifetimeSeconds, Address(httpContext));

    /// <summary>The built-in issuer refused a token request; <paramref name="clientId"/> is the authenticated or the claimed id.</summary>
    public static void TokenRequestRefused(HttpContext httpContext, string error, string? clientId, string reason) =>
        LogTokenRequestRefused(For(httpContext), error, Bounded(clientId), reason, Address(httpContext));

    /// <summary>`/auth/token` over a rate limit (429); <paramref name="limit"/> is "client" or "address".</summary>
    public static void TokenRequestsLimited(HttpContext httpContext, string limit, string key, int perMinute, int retryAfterSeconds) =>
        LogTokenRequestsLimited(For(httpContext), limit, Bounded(key), perMinute, retryAfterSeconds, Address(httpContext));

    /// <summary>A kick-off refused by Async:MaxActiveJobsPerOwner (429).</summary>
    public static void ActiveJobLimitReached(HttpContext httpContext, string owner, int limit) =>
        LogActiveJobLimitReached(For(httpContext), owner, limit, httpContext.Request.Method, Path(httpContext), Address(httpContext));

    // The factory caches loggers by name: this is a dictionary lookup, not a new logger per event.
    private static ILogger For(HttpContext httpContext) => httpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);

    private static string Path(HttpContext httpContext) => httpContext.Request.PathBase + httpContext.Request.Path;

    private static string Address(HttpContext httpContext) => httpContext.Connection.RemoteIpAddress?.ToString() ?? "(none)";

    private static string Bounded(string? claimed) =>
        claimed is null ? "(none)" : claimed.Length <= MaxClaimedLength ? claimed : claimed[..MaxClaimedLength] + "…";

    /// <summary>Why a token did not verify, in a word an operator can count by.</summary>
    private static string Reason(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException => "expired",
        SecurityTokenNotYetValidException => "not yet valid",
        SecurityTokenNoExpirationException => "no expiry",
        SecurityTokenInvalidAudienceException => "audience",
        SecurityTokenInvalidIssuerException => "issuer",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "signature",
        SecurityTokenInvalidAlgorithmException => "algorithm",
        SecurityTokenMalformedException or ArgumentException => "malformed",
        null => "unreadable",
        _ => "invalid",
    };

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information,
        Message = "Token accepted: client {Client}, issuer {Issuer}, key {KeyId}, scopes '{Scopes}' for {Method} {Path} from {Address}")]
    private static partial void LogTokenAccepted(ILogger logger, string client, string issuer, string keyId, string scopes, string method, string path, string address);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Information,
        Message = "Token refused ({Reason}, {Failure}) for {Method} {Path} from {Address}")]
    private static partial void LogTokenRefused(ILogger logger, string reason, string failure, string method, string path, string address);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Information,
        Message = "Scope refused: client {Client} needs '{NeededScopes}' for {Method} {Path} from {Address}")]
    private static partial void LogScopeRefused(ILogger logger, string client, string neededScopes, string method, string path, string address);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Information,
        Message = "Ownership refused: client {Client} asked for job {JobId} of {Owner} with {Method} {Path} from {Address}; answered 404")]
    private static partial void LogOwnershipRefused(ILogger logger, string client, string jobId, string owner, string method, string path, string address);

    [LoggerMessage(EventId = 8005, Level = LogLevel.Information,
        Message = "Token issued to client {Client} for scope '{Scope}', valid {LifetimeSeconds} s, requested from {Address}")]
    private static partial void LogTokenIssued(ILogger logger, string client, string scope, int lifetimeSeconds, string address);

    [LoggerMessage(EventId = 8006, Level = LogLevel.Information,
        Message = "Token request refused ({Error}) for client {Client} from {Address}: {Reason}")]
    private static partial void LogTokenRequestRefused(ILogger logger, string error, string client, string reason, string address);

    [LoggerMessage(EventId = 8007, Level = LogLevel.Information,
        Message = "Token request rate-limited per {Limit} ({Key}, {PerMinute} a minute); Retry-After {RetryAfterSeconds} s, from {Address}")]
    private static partial void LogTokenRequestsLimited(ILogger logger, string limit, string key, int perMinute, int retryAfterSeconds, string address);

    [LoggerMessage(EventId = 8008, Level = LogLevel.Information,
        Message = "Kick-off refused: client {Client} already has {Limit} queued or running jobs, for {Method} {Path} from {Address}")]
    private static partial void LogActiveJobLimitReached(ILogger logger, string client, int limit, string method, string path, string address);

    [LoggerMessage(EventId = 8009, Level = LogLevel.Information,
        Message = "Request without a bearer token ({Reason}) for {Method} {Path} from {Address}; answered 401")]
    private static partial void LogTokenMissing(ILogger logger, string reason, string method, string path, string address);
}
