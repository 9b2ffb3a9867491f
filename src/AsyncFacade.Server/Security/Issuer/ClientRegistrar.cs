using System.Security.Cryptography;
using System.Text.Json;
using AsyncFacade.Server.Fhir;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Server.Security.Issuer;

/// <summary>
/// Checks a registration request and stores it. Every refusal is a 4xx OperationOutcome naming the field and what is
/// wrong, in the words of <see cref="ClientAssertionKeys"/> for keys, so the page can show it as it is.
/// </summary>
internal sealed class ClientRegistrar(
    IClientRegistrationStore store,
    JwksUrlPolicy jwksUrls,
    ClientJwksFetcher jwksFetcher,
    IOptions<AuthIssuerOptions> options,
    TimeProvider time,
    ILogger<ClientRegistrar> logger)
{
    public const int MaxNameLength = 100;

    /// <summary>Scopes longer than this are not a scope list: the configured maximum set bounds what can be useful.</summary>
    private const int MaxScopesLength = 2048;

    public IReadOnlyList<string> AllowedScopes => AuthIssuerScopes.Split(options.Value.RegistrationScopes);

    public async Task<(RegisteredClient? Client, IResult? Refusal)> RegisterAsync(ClientRegistrationRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (Name(request.Name) is { } nameProblem)
        {
            return Refuse("name", nameProblem);
        }
        var lifetime = request.TokenLifetimeSeconds ?? settings.TokenLifetimeSeconds;
        if (lifetime is < 1 or > AuthIssuerOptions.MaxTokenLifetimeSeconds)
        {
            return Refuse("tokenLifetimeSeconds", $"must be between 1 and {AuthIssuerOptions.MaxTokenLifetimeSeconds} seconds (SMART Backend Services: at most five minutes).");
        }
        var (scopes, scopeProblem) = Scopes(request.Scopes);
        if (scopes is null)
        {
            return Refuse("scopes", scopeProblem!);
        }

        var hasJwks = request.Jwks is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) };
        var hasUrl = !string.IsNullOrWhiteSpace(request.JwksUrl);
        if (hasJwks == hasUrl)
        {
            return Refuse("jwks", "give exactly one of jwks (the public JWKS) and jwksUrl (where to fetch it).");
        }
        string? jwks = null;
        string? jwksUrl = null;
        if (hasJwks)
        {
            var element = request.Jwks!.Value;
            jwks = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
            if (ClientAssertionKeys.Parse(jwks, out var error) is null)
            {
                return Refuse("jwks", error!);
            }
        }
        else
        {
            var (url, problem) = await jwksUrls.CheckAsync(request.JwksUrl!.Trim(), cancellationToken);
            if (url is null)
            {
                return Refuse("jwksUrl", problem!, OperationOutcome.IssueType.Forbidden);
            }
            // Fetched now through the guarded client, so a wrong URL is reported to the registrant, not to its first token request.
            var (_, fetchProblem) = await jwksFetcher.FetchAsync(url, cancellationToken);
            if (fetchProblem is not null)
            {
                return Refuse("jwksUrl", fetchProblem);
            }
            jwksUrl = url.AbsoluteUri;
        }

        var client = new RegisteredClient(NewClientId(), string.IsNullOrWhiteSpace(request.Name) ? null : request.Name.Trim(), jwks, jwksUrl,
            scopes, lifetime, time.GetUtcNow());
        if (!await store.TryAddAsync(client, settings.MaxRegistrations, cancellationToken))
        {
            ClientRegistrationLog.StoreFull(logger, settings.MaxRegistrations);
            return (null, FhirResults.Error(StatusCodes.Status409Conflict, OperationOutcome.IssueType.BusinessRule,
                $"This server keeps at most {settings.MaxRegistrations} registered clients ({AuthIssuerOptions.Section}:MaxRegistrations); delete one first."));
        }
        ClientRegistrationLog.Registered(logger, client.ClientId, jwksUrl is null ? "jwks" : "jwksUrl", string.Join(' ', scopes), lifetime);
        return (client, null);
    }

    /// <summary>The kids of a stored inline JWKS, for the listing; null for a JWKS URL client.</summary>
    public static IReadOnlyList<string?>? KeyIds(RegisteredClient client) =>
        client.Jwks is null ? null : ClientAssertionKeys.Parse(client.Jwks, out _)?.Select(k => k.KeyId).ToArray() ?? [];

    private static string? Name(string? name)
    {
        if (name is null)
        {
            return null;
        }
        if (name.Length > MaxNameLength)
        {
            return $"is longer than {MaxNameLength} characters.";
        }
        // Markup is kept as typed (it is only ever shown as text); control characters would corrupt logs and listings.
        return name.Any(char.IsControl) ? "must not contain control characters (line breaks, tabs, NUL)." : null;
    }

    private (IReadOnlyList<string>? Scopes, string? Problem) Scopes(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, $"must list at least one scope, e.g. \"{AllowedScopes[0]}\".");
        }
        if (text.Length > MaxScopesLength)
        {
            return (null, $"is longer than {MaxScopesLength} characters.");
        }
        var scopes = AuthIssuerScopes.Split(text);
        // RFC 6749 §3.3: a scope token is printable ASCII without space, quote or backslash.
        if (scopes.FirstOrDefault(s => s.Any(c => c < 0x21 || c > 0x7e || c is '"' or '\\')) is { } malformed)
        {
            return (null, $"'{malformed}' is not a scope token (RFC 6749 §3.3: printable ASCII, no quote or backslash).");
        }
        var allowed = AllowedScopes;
        if (scopes.FirstOrDefault(s => !allowed.Any(a => AuthIssuerScopes.Covers(a, s))) is { } beyond)
        {
            return (null, $"'{beyond}' is not allowed for a self-registered client; this server allows at most: {string.Join(' ', allowed)}.");
        }
        return (scopes, null);
    }

    /// <summary>128 random bits: not guessable, so knowing one registration tells nothing about another.</summary>
    private static string NewClientId() => "reg-" + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));

    private (RegisteredClient?, IResult?) Refuse(string field, string problem, OperationOutcome.IssueType code = OperationOutcome.IssueType.Invalid)
    {
        var diagnostics = $"{field} {problem}";
        ClientRegistrationLog.Refused(logger, diagnostics);
        // 400 for every field, the SSRF refusal included (issue code forbidden): the request can be corrected and sent again.
        return (null, FhirResults.Error(StatusCodes.Status400BadRequest, code, diagnostics, expression: field));
    }
}
