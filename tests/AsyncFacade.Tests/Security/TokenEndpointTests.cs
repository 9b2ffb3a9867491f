using System.Net;
using System.Text;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Tests.Security;

/// <summary>SMART Backend Services token requests over real HTTP: the happy paths and every way to get refused.</summary>
public sealed class TokenEndpointTests(AuthIssuerFacade fixture) : IClassFixture<AuthIssuerFacade>
{
    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rs384_assertion_gets_a_token_that_verifies_against_the_published_jwks()
    {
        var assertion = fixture.RsaKey.Assertion(AuthIssuerFacade.RsaClientId, fixture.TokenUrl);

        await AssertTokenAsync(AuthIssuerFacade.RsaClientId, assertion, "system/Patient.read", "system/Patient.read");
    }

    [Fact]
    public async Task Es384_assertion_gets_a_token_that_verifies_against_the_published_jwks()
    {
        var assertion = fixture.EcKey.Assertion(AuthIssuerFacade.EcClientId, fixture.TokenUrl);

        await AssertTokenAsync(AuthIssuerFacade.EcClientId, assertion, "system/Patient.read", "system/Patient.read");
    }

    [Fact]
    public async Task Only_the_requested_scopes_the_client_is_allowed_are_granted()
    {
        var assertion = fixture.RsaKey.Assertion(AuthIssuerFacade.RsaClientId, fixture.TokenUrl);

        // *.read covers Patient.read and v2 Encounter.rs; Observation.rs is listed; cruds (write) and other contexts are not.
        await AssertTokenAsync(AuthIssuerFacade.RsaClientId, assertion,
            "system/Patient.read system/Encounter.rs system/Observation.rs system/Condition.cruds patient/Patient.read system/*.write",
            "system/Patient.read system/Encounter.rs system/Observation.rs");
    }

    [Fact]
    public async Task Assertion_without_kid_is_checked_against_every_key_of_the_client()
    {
        var key = fixture.RsaKey;
        var credentials = new SigningCredentials(new RsaSecurityKey(((RsaSecurityKey)key.PrivateKey).Rsa), SecurityAlgorithms.RsaSha384);
        var assertion = AuthIssuerClientKey.Sign(Claims(AuthIssuerFacade.RsaClientId), credentials);

        await AssertTokenAsync(AuthIssuerFacade.RsaClientId, assertion, "system/Patient.read", "system/Patient.read");
    }

    [Fact]
    public async Task Unsigned_alg_none_assertion_is_refused_as_invalid_client()
    {
        static string Part(object value) => Base64UrlEncoder.Encode(JsonSerializer.Serialize(value));
        var assertion = Part(new { alg = "none", typ = "JWT" }) + "." + Part(Claims(AuthIssuerFacade.RsaClientId)) + ".";

        await AssertErrorAsync(Form(assertion), HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Hs256_assertion_signed_with_the_public_key_as_secret_is_refused()
    {
        var secret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(fixture.RsaKey.PublicJwks)) { KeyId = fixture.RsaKey.KeyId };
        var assertion = AuthIssuerClientKey.Sign(Claims(AuthIssuerFacade.RsaClientId), new SigningCredentials(secret, SecurityAlgorithms.HmacSha256));

        await AssertErrorAsync(Form(assertion), HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Assertion_signed_by_another_key_is_refused()
    {
        var other = AuthIssuerClientKey.Rsa();
        var assertion = other.Assertion(AuthIssuerFacade.RsaClientId, fixture.TokenUrl);

        await AssertErrorAsync(Form(assertion), HttpStatusCode.Unauthorized, "invalid_client", "signature");
    }

    [Fact]
    public async Task Assertion_from_an_unknown_client_is_refused()
    {
        var assertion = fixture.RsaKey.Assertion("nobody", fixture.TokenUrl);

        await AssertErrorAsync(Form(assertion), HttpStatusCode.Unauthorized, "invalid_client", "iss");
    }

    [Fact]
    public async Task Assertion_whose_iss_differs_from_sub_is_refused()
    {
        var assertion = fixture.RsaKey.Assertion(AuthIssuerFacade.RsaClientId, fixture.TokenUrl, new Dictionary<string, object?> { ["sub"] = "someone-else" });

        await AssertErrorAsync(Form(assertion), HttpStatusCode.Unauthorized, "invalid_client", "sub");
    }

    [Theory]
    [InlineData("https://other.example.org/auth/token")]
    [InlineData("fhir")]
    public async Task Assertion_for_another_audience_is_refused(string audience)
    {
        var aud = audience == "fhir" ? fixture.FhirBase : audience;
        var assertion = fixture.RsaKey.Assertion(AuthIssuerFacade.RsaClientId, aud);

        await AssertErrorAsync(Form(assertion), HttpStatusCode.Unauthorized, "invalid_client", "aud");
    }

    [Fact]
    public async Task Expired_assertion_is_refused()
    {
        var assertion = fixture.RsaKey.Assertion(AuthIssuerFacade.RsaClientId, fixture.TokenUrl, new Dictionary<string, object?>
        {
            ["exp"] = DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds(),
        });

        await AssertErrorAsync(Form(assertion), HttpStatusCode.Unauthorized, "invalid_client", "expired");
    }

    [Fact]
    public async Task Assertion_expiring_more_than_five_minutes_ahead_is_refused()
    {
        var assertion = fixture.RsaKey.Assertion(AuthIssuerFacade.RsaClientId, fixture.TokenUrl, new Dictionary<string, object?>
        {
            ["exp"] = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds(),
        });

        await AssertErrorAsync(Form(assertion), HttpStatusCode.Unauthorized, "invalid_client", "five minutes");
    }

    [Fact]
    public async Task Assertion_without_exp_is_refused()
    {
        var assertion = fixture.RsaKey.Assertion(AuthIssuerFacade.RsaClientId, fixture.TokenUrl, new Dictionary<string, object?> { ["exp"] = null });

        await AssertErrorAsync(Form(assertion), HttpStatusCode.Unauthorized, "invalid_client", "exp");
    }

    [Fact]
    public async Task Assertion_without_jti_is_refused()
    {
        var assertion = fixture.RsaKey.Assertion(AuthIssuerFacade.RsaClientId, fixture.TokenUrl, new Dictionary<string, object?> { ["jti"] = null });

        await AssertErrorAsync(Form(assertion), HttpStatusCode.Unauthorized, "invalid_client", "jti");
    }

    [Fact]
    public async Task Replayed_assertion_is_refused_the_second_time()
    {
        var assertion = fixture.RsaKey.Assertion(AuthIssuerFacade.RsaClientId, fixture.TokenUrl);
        using var first = await fixture.CreateClient().PostAsync("/auth/token", Form(assertion), ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        await AssertErrorAsync(Form(assertion), HttpStatusCode.Unauthorized, "invalid_client", "jti");
    }

    [Fact]
    public async Task Wrong_grant_type_is_unsupported_grant_type()
    {
        var assertion = fixture.RsaKey.Assertion(AuthIssuerFacade.RsaClientId, fixture.TokenUrl);

        await AssertErrorAsync(Form(assertion, grantType: "authorization_code"), HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Fact]
    public async Task Wrong_client_assertion_type_is_invalid_request()
    {
        var assertion = fixture.RsaKey.Assertion(AuthIssuerFacade.RsaClientId, fixture.TokenUrl);

        await AssertErrorAsync(Form(assertion, assertionType: "urn:ietf:params:oauth:client-assertion-type:saml2-bearer"),
            HttpStatusCode.BadRequest, "invalid_request", "client_assertion_type");
    }

    [Fact]
    public async Task Missing_assertion_is_invalid_request()
    {
        await AssertErrorAsync(Form(null), HttpStatusCode.BadRequest, "invalid_request", "client_assertion");
    }

    [Fact]
    public async Task Scope_the_client_may_not_have_is_invalid_scope()
    {
        var assertion = fixture.EcKey.Assertion(AuthIssuerFacade.EcClientId, fixture.TokenUrl);

        await AssertErrorAsync(Form(assertion, scope: "system/Observation.read system/*.read"), HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJSUzM4NCJ9.eyJpc3MiOg.c2ln")]
    public async Task Malformed_assertion_is_refused_as_invalid_client(string assertion)
    {
        await AssertErrorAsync(Form(assertion), HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Json_body_is_invalid_request()
    {
        var assertion = fixture.RsaKey.Assertion(AuthIssuerFacade.RsaClientId, fixture.TokenUrl);
        var body = JsonSerializer.Serialize(new { grant_type = "client_credentials", scope = "system/Patient.read", client_assertion_type = AssertionType, client_assertion = assertion });

        await AssertErrorAsync(new StringContent(body, Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest, "invalid_request", "x-www-form-urlencoded");
    }

    [Fact]
    public async Task Oversize_body_is_invalid_request()
    {
        var assertion = fixture.RsaKey.Assertion(AuthIssuerFacade.RsaClientId, fixture.TokenUrl);

        await AssertErrorAsync(Form(assertion, scope: new string('x', 20_000)), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Jwks_publishes_public_rsa_keys_only()
    {
        using var response = await fixture.CreateClient().GetAsync("/.well-known/jwks.json", ct);
        var jwks = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("RS384", key.GetProperty("alg").GetString());
        Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
        foreach (var secret in new[] { "d", "p", "q", "dp", "dq", "qi" })
        {
            Assert.False(key.TryGetProperty(secret, out _), $"The JWKS publishes the private member {secret}.");
        }
    }

    private Dictionary<string, object?> Claims(string clientId) => new()
    {
        ["iss"] = clientId,
        ["sub"] = clientId,
        ["aud"] = fixture.TokenUrl,
        ["exp"] = DateTimeOffset.UtcNow.AddMinutes(4).ToUnixTimeSeconds(),
        ["jti"] = Guid.NewGuid().ToString("N"),
    };

    private FormUrlEncodedContent Form(string? assertion, string scope = "system/Patient.read",
        string grantType = "client_credentials", string assertionType = AssertionType)
    {
        var fields = new Dictionary<string, string>
        {
            ["grant_type"] = grantType,
            ["scope"] = scope,
            ["client_assertion_type"] = assertionType,
        };
        if (assertion is not null)
        {
            fields["client_assertion"] = assertion;
        }
        return new FormUrlEncodedContent(fields);
    }

    private async Task AssertTokenAsync(string clientId, string assertion, string requested, string expectedScope)
    {
        using var response = await fixture.CreateClient().PostAsync("/auth/token", Form(assertion, requested), ct);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(expectedScope, body.GetProperty("scope").GetString());
        Assert.InRange(body.GetProperty("expires_in").GetInt32(), 1, 300);

        var jwks = new JsonWebKeySet(await fixture.CreateClient().GetStringAsync("/.well-known/jwks.json", ct));
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(body.GetProperty("access_token").GetString(), new TokenValidationParameters
        {
            ValidIssuer = "asyncfacade",
            ValidAudience = fixture.FhirBase,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha384],
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var token = (JsonWebToken)validation.SecurityToken;
        Assert.Equal(clientId, token.Subject);
        Assert.Equal(clientId, token.GetPayloadValue<string>("client_id"));
        Assert.Equal(expectedScope, token.GetPayloadValue<string>("scope"));
        Assert.False(string.IsNullOrEmpty(token.Id));
        Assert.InRange((token.ValidTo - token.IssuedAt).TotalSeconds, 1, 300);
    }

    private async Task AssertErrorAsync(HttpContent content, HttpStatusCode status, string error, string? descriptionContains = null)
    {
        using var response = await fixture.CreateClient().PostAsync("/auth/token", content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(error, body.GetProperty("error").GetString());
        var description = body.GetProperty("error_description").GetString();
        Assert.False(string.IsNullOrEmpty(description));
        if (descriptionContains is not null)
        {
            Assert.Contains(descriptionContains, description);
        }
    }
}
