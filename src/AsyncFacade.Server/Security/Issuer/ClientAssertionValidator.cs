using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Server.Security.Issuer;

/// <summary>
/// Authenticates a client by its signed JWT assertion (RFC 7523 §3, SMART Backend Services "authenticating to the
/// token endpoint"): RS384/ES384 only, signed by one of the client's registered keys, iss = sub = client_id,
/// aud = our token URL, exp present and at most five minutes ahead, jti used once.
/// </summary>
internal sealed class ClientAssertionValidator(AuthIssuerClients clients, IClientAssertionReplayCache replays, TimeProvider time)
{
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>Allowance for clocks that disagree a little, on both ends of the assertion's lifetime.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>SMART: the assertion's exp SHALL be no more than five minutes in the future.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha384, SecurityAlgorithms.EcdsaSha384];
    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<ClientAssertionResult> ValidateAsync(string assertion, IReadOnlyCollection<string> audiences, CancellationToken cancellationToken)
    {
        JsonWebToken token;
        try
        {
            token = Handler.ReadJsonWebToken(assertion);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException)
        {
            return Fail(null, "client_assertion is not a well-formed signed JWT.");
        }
        if (token.IsEncrypted)
        {
            return Fail(null, "client_assertion must be a signed JWT (JWS), not an encrypted one.");
        }
        // Checked before any key is touched: 'none' and HMAC (a public key used as the secret) never reach validation.
        if (!Algorithms.Contains(token.Alg, StringComparer.Ordinal))
        {
            return Fail(null, "client_assertion must be signed with RS384 or ES384.");
        }
        var (client, keysProblem) = await clients.FindAsync(token.Issuer, token.Kid, cancellationToken);
        if (keysProblem is not null)
        {
            return Fail(null, keysProblem);
        }
        if (client is null)
        {
            return Fail(null, "The assertion's iss is not a registered client_id.");
        }
        // SMART: a jku header must name the JWKS URL registered for this client; keys are never fetched from where the assertion says.
        if (token.TryGetHeaderValue<string>("jku", out var jku) && !string.Equals(jku, client.JwksUrl, StringComparison.Ordinal))
        {
            return Fail(client, "The assertion's jku header must be the JWKS URL registered for this client.");
        }
        if (!string.Equals(token.Subject, token.Issuer, StringComparison.Ordinal))
        {
            return Fail(client, "The assertion's sub must equal its iss (the client_id).");
        }
        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = client.ClientId,
            ValidAudiences = audiences,
            IssuerSigningKeys = client.Keys,
            // kid picks the key; without one (or with an unknown one) every key of this client is tried, never another client's.
            TryAllIssuerSigningKeys = true,
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            // Lifetime is checked below against the injected clock, with SMART's five-minute ceiling.
            ValidateLifetime = false,
            RequireExpirationTime = false,
        });
        if (!result.IsValid)
        {
            return Fail(client, result.Exception switch
            {
                SecurityTokenInvalidAudienceException => $"The assertion's aud must be this token endpoint's URL ({string.Join(" or ", audiences)}).",
                SecurityTokenInvalidIssuerException => "The assertion's iss is not a registered client_id.",
                _ => "The assertion's signature does not verify with the client's registered keys.",
            });
        }
        return await CheckLifetimeAndReplayAsync(client, token, cancellationToken);
    }

    private async Task<ClientAssertionResult> CheckLifetimeAndReplayAsync(AuthIssuerRegistration client, JsonWebToken token, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var expSeconds))
        {
            return Fail(client, "The assertion must carry exp.");
        }
        var exp = DateTimeOffset.FromUnixTimeSeconds(expSeconds);
        if (exp + ClockSkew <= now)
        {
            return Fail(client, "The assertion has expired.");
        }
        if (exp > now + MaxLifetime + ClockSkew)
        {
            return Fail(client, "The assertion's exp must be at most five minutes in the future.");
        }
        if (token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Nbf, out var nbf) && DateTimeOffset.FromUnixTimeSeconds(nbf) > now + ClockSkew)
        {
            return Fail(client, "The assertion is not valid yet (nbf).");
        }
        if (!token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var jti) || string.IsNullOrWhiteSpace(jti))
        {
            return Fail(client, "The assertion must carry a jti.");
        }
        // Remembered past exp by the skew, since an assertion is accepted that long.
        return await replays.TryRememberAsync(client.ClientId, jti, exp + ClockSkew, cancellationToken) switch
        {
            ClientAssertionReplayCheck.Remembered => new ClientAssertionResult(client, null),
            ClientAssertionReplayCheck.Replayed => Fail(client, "The assertion's jti has been used before; sign a new assertion for each request."),
            _ => new ClientAssertionResult(client, TokenEndpointError.InvalidClient("Too many recent assertions to check for replay; retry shortly.")) { CacheFull = true },
        };
    }

    private static ClientAssertionResult Fail(AuthIssuerRegistration? client, string description) =>
        new(client, TokenEndpointError.InvalidClient(description));
}
