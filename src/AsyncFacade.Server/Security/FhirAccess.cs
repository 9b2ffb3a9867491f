using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Security.Scopes;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using AsyncFacade.Server.Security.Authority;

namespace AsyncFacade.Server.Security;

/// <summary>
/// Who may do what on the FHIR API when `Auth:Enabled`. Every request under `/fhir` needs a valid token (401 with
/// `WWW-Authenticate: Bearer error="invalid_token"` otherwise), except the CapabilityStatement, SMART discovery and
/// OperationDefinitions. An interaction needs the SMART scope its synchronous form needs (<see cref="FhirInteraction"/>),
/// and a scope restricted to a patient's compartment or a v2 filter is applied to the request itself
/// (<see cref="ScopeEnforcement"/>), whether it is forwarded at once or run as an async job. Bulk kick-offs check their
/// types themselves once the request is parsed (<see cref="Forbidden"/>); job status, files and cancel belong to the
/// token's client (another client's job is "not found").
/// </summary>
internal sealed class FhirAccess(IOptions<AuthOptions> options, FileUrlSigner signer, ScopeEnforcement enforcement)
{
    public bool Enabled => options.Value.Enabled;

    /// <summary>The caller's scopes and patient context; null when auth is off (everything is allowed).</summary>
    public SmartScopes? ScopesOf(HttpContext httpContext) => Enabled ? SmartScopes.Of(httpContext.User) : null;

    /// <summary>
    /// A 403 unless the caller holds <paramref name="needed"/> on every one of <paramref name="types"/> on the whole type
    /// (no patient or filter restriction); null when it does, or auth is off. For requests that cannot be narrowed.
    /// </summary>
    public IResult? Forbidden(HttpContext httpContext, IEnumerable<string> types, ScopePermissions needed, bool bulk = false)
    {
        if (ScopesOf(httpContext) is not { } scopes)
        {
            return null;
        }
        var refused = types.Distinct().Select(t => (Type: t, Decision: scopes.Check(t, needed, bulk))).Where(d => !d.Decision.IsUnrestricted).ToList();
        if (refused.Count == 0)
        {
            return null;
        }
        var needs = string.Join(' ', refused.Select(r => r.Decision.MissingScope ?? SmartScope.Describe(ScopeLevel.System, r.Type, needed)));
        var restricted = refused.Where(r => r.Decision.Allowed).Select(r => r.Type).ToList();
        return Refuse(httpContext, ScopeRefusal.Forbidden(restricted.Count == refused.Count
            ? $"The token may use {string.Join(", ", restricted)} only within a patient's compartment or a scope filter, which this request cannot be limited to; it needs {needs}."
            : $"The token's scopes do not allow this on {string.Join(", ", refused.Select(r => r.Type))}; it needs {needs}.", needs));
    }

    /// <summary>
    /// The answer to every request the token's scopes do not allow as sent: 403 `insufficient_scope` (RFC 6750 §3.1)
    /// naming the scopes that would have allowed it, or the 404 of a resource outside the token's compartment. The one
    /// place such answers are made (bulk kick-offs through <see cref="Forbidden"/>, interactions through <see cref="CheckAsync"/>),
    /// so the audit log has one home: <paramref name="httpContext"/> is the request refused.
    /// </summary>
    internal IResult Refuse(HttpContext httpContext, ScopeRefusal refusal)
    {
        if (refusal.Status is StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound)
        {
            // A decision about the token; a 400, 413 or 503 on the way to one is not.
            SecurityAudit.ScopeRefused(httpContext, refusal.NeededScopes ?? "(outside the token's compartment or scope filter)");
        }
        return refusal.NeededScopes is { } needed ? InsufficientScope(refusal.Diagnostics, needed)
            // The upstream could not be asked: worth retrying soon.
            : refusal.Status == StatusCodes.Status503ServiceUnavailable ? FhirResults.RetryLater(refusal.Status, refusal.Code, refusal.Diagnostics, retryAfterSeconds: 10)
            : FhirResults.Error(refusal.Status, refusal.Code, refusal.Diagnostics);
    }

    /// <summary>403 `insufficient_scope` (RFC 6750 §3.1) naming the scopes that would have allowed the request.</summary>
    private static IResult InsufficientScope(string diagnostics, string neededScopes) =>
        new Challenge(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden, diagnostics,
            $"Bearer error=\"insufficient_scope\", scope=\"{neededScopes}\"");

    /// <summary>The check every `/fhir` request passes first; null to go on (possibly narrowed).</summary>
    public async Task<IResult?> CheckAsync(HttpContext httpContext)
    {
        var path = httpContext.Request.Path.Value ?? "";
        if (!Enabled || !httpContext.Request.Path.StartsWithSegments(Hosting.PublicBaseUrl.FhirPath) || IsPublic(path))
        {
            return null;
        }
        if (IsFile(path) && signer.IsValid(httpContext.Request))
        {
            httpContext.Items[FileUrlSigner.SignedRequest] = true;
            return null;
        }
        if (httpContext.User.Identity?.IsAuthenticated != true)
        {
            var failure = (await httpContext.AuthenticateAsync()).Failure;
            var hasToken = httpContext.Request.Headers.Authorization.Count > 0;
            if (hasToken && AuthorityUnavailable(httpContext) is { } unavailable)
            {
                return unavailable;
            }
            if (failure is null)
            {
                SecurityAudit.TokenMissing(httpContext); // a bad bearer token was logged by JwtBearer's failure event
            }
            // RFC 6750 §3.1: no error code when the request carried no token at all.
            return new Challenge(StatusCodes.Status401Unauthorized, OperationOutcome.IssueType.Login,
                hasToken ? $"The bearer token is not valid: {Describe(failure)}" : "This server needs a bearer token (SMART Backend Services).",
                hasToken ? "Bearer error=\"invalid_token\"" : "Bearer");
        }
        if (MethodOverrides.FirstOrDefault(httpContext.Request.Headers.ContainsKey) is { } overrides)
        {
            // Scopes are checked against the request's own method; an upstream honouring the header would run another one.
            return FhirResults.Error(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.NotSupported,
                $"{overrides} is not accepted: send the request with the method it is meant to have.", overrides);
        }
        if (FhirInteraction.Of(httpContext.Request) is not { } interaction)
        {
            return null; // the facade's own endpoints (bulk kick-offs, job status, files) check their requests themselves
        }
        return await enforcement.CheckAsync(httpContext, SmartScopes.Of(httpContext.User), interaction) is { } refusal ? Refuse(httpContext, refusal) : null;
    }

    /// <summary>
    /// 503 `transient` + `Retry-After` when the token could not be checked because `Auth:Authority` has never answered
    /// (no keys yet): the token may well be good, so a 401 would mislead the client into discarding it.
    /// </summary>
    private static IResult? AuthorityUnavailable(HttpContext httpContext) =>
        httpContext.RequestServices.GetRequiredService<AuthorityConfiguration>() is { Authority: not null, Current: null } authority
            ? authority.Unavailable("The identity provider has not answered yet, so bearer tokens cannot be verified; retry later.")
            : null;

    private static readonly string[] MethodOverrides = ["X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"];

    private static bool IsFile(string path) => path.StartsWith("/fhir/_async/", StringComparison.Ordinal) && path.Contains("/files/", StringComparison.Ordinal);

    private static bool IsPublic(string path) =>
        path is "/fhir/metadata" or "/fhir/.well-known/smart-configuration" || path.StartsWith("/fhir/OperationDefinition/", StringComparison.Ordinal);

    private static string Describe(Exception? failure) => failure switch
    {
        Microsoft.IdentityModel.Tokens.SecurityTokenExpiredException => "it has expired.",
        Microsoft.IdentityModel.Tokens.SecurityTokenInvalidAudienceException => "it is for another audience.",
        Microsoft.IdentityModel.Tokens.SecurityTokenInvalidIssuerException => "it comes from an issuer this server does not trust.",
        Microsoft.IdentityModel.Tokens.SecurityTokenSignatureKeyNotFoundException or Microsoft.IdentityModel.Tokens.SecurityTokenInvalidSignatureException =>
            "its signature does not verify.",
        Microsoft.IdentityModel.Tokens.SecurityTokenInvalidAlgorithmException => "its signing algorithm is not accepted.",
        null => "it could not be read.",
        _ => "it could not be validated.",
    };

    /// <summary>An OperationOutcome with the `WWW-Authenticate` challenge RFC 6750 asks for.</summary>
    private sealed class Challenge(int status, OperationOutcome.IssueType code, string diagnostics, string wwwAuthenticate) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.WWWAuthenticate = wwwAuthenticate;
            return FhirResults.Error(status, code, diagnostics).ExecuteAsync(httpContext);
        }
    }
}
