using System.Security.Cryptography;
using AsyncFacade.Client.Auth;
using AsyncFacade.Server.Hosting;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Upstream.Credentials;

/// <summary>
/// The `Upstream:Auth` rules that span fields, checked at start so a wrong mode, a missing secret or an unreadable key
/// stops the process naming the key, instead of failing every job later. Messages never repeat a secret.
/// </summary>
internal static class UpstreamAuthRules
{
    // Below 2048 bits RSA is no longer considered safe (NIST SP 800-131A); servers refuse such keys too.
    private const int MinRsaBits = 2048;

    public static ValidateOptionsResultBuilder UpstreamAuth(this ValidateOptionsResultBuilder builder, UpstreamAuthOptions auth, string? bearerToken)
    {
        var mode = auth.EffectiveMode(bearerToken);
        if (!UpstreamAuthModes.All.Contains(mode))
        {
            return Error(builder, $"Upstream:Auth:Mode must be one of {string.Join(", ", UpstreamAuthModes.All)}, got '{auth.Mode}'.");
        }
        if (mode == UpstreamAuthModes.Bearer && string.IsNullOrWhiteSpace(bearerToken))
        {
            return Error(builder, "Upstream:Auth:Mode is bearer but Upstream:BearerToken is empty.");
        }
        if (mode == UpstreamAuthModes.None && !string.IsNullOrEmpty(bearerToken))
        {
            return Error(builder, "Upstream:BearerToken is set but Upstream:Auth:Mode is none; remove one of them.");
        }
        if (mode is UpstreamAuthModes.None or UpstreamAuthModes.Bearer)
        {
            return builder;
        }
        if (!string.IsNullOrEmpty(bearerToken))
        {
            builder.AddError($"Upstream:BearerToken must be empty when Upstream:Auth:Mode is {mode}: the token endpoint's tokens replace it.");
        }
        builder.AbsoluteHttpUrl("Upstream:Auth:TokenUrl", auth.TokenUrl);
        if (string.IsNullOrWhiteSpace(auth.ClientId))
        {
            builder.AddError($"Upstream:Auth:ClientId is required when Upstream:Auth:Mode is {mode}.");
        }
        if (auth.Scope is { } scope && string.IsNullOrWhiteSpace(scope))
        {
            builder.AddError("Upstream:Auth:Scope must not be blank; leave it unset for the default.");
        }
        return mode == UpstreamAuthModes.ClientSecret ? Secret(builder, auth) : Key(builder, auth);
    }

    private static ValidateOptionsResultBuilder Secret(ValidateOptionsResultBuilder builder, UpstreamAuthOptions auth)
    {
        if (string.IsNullOrEmpty(auth.ClientSecret))
        {
            builder.AddError("Upstream:Auth:ClientSecret is required when Upstream:Auth:Mode is client-secret.");
        }
        if (auth.SecretMethod is { } method && method is not ("basic" or "post"))
        {
            builder.AddError($"Upstream:Auth:SecretMethod must be basic or post, got '{method}'.");
        }
        return builder;
    }

    private static ValidateOptionsResultBuilder Key(ValidateOptionsResultBuilder builder, UpstreamAuthOptions auth)
    {
        string? text;
        try
        {
            text = auth.ReadPrivateKey();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Error(builder, $"Upstream:Auth:PrivateKey is neither PEM nor JWK text, nor a readable file: {ex.Message}");
        }
        if (string.IsNullOrEmpty(text))
        {
            return Error(builder, "Upstream:Auth:PrivateKey is required when Upstream:Auth:Mode is private-key-jwt.");
        }
        try
        {
            using var key = ClientAssertionKey.Parse(text, string.IsNullOrWhiteSpace(auth.KeyId) ? null : auth.KeyId);
            if (key.Algorithm == "RS384" && key.KeySize < MinRsaBits)
            {
                builder.AddError($"Upstream:Auth:PrivateKey is an RSA key of {key.KeySize} bits; at least {MinRsaBits} are required.");
            }
            if (auth.Algorithm is { } algorithm && !string.Equals(algorithm, key.Algorithm, StringComparison.Ordinal))
            {
                builder.AddError($"Upstream:Auth:Algorithm is {algorithm} but Upstream:Auth:PrivateKey signs {key.Algorithm} (RSA: RS384, EC P-384: ES384).");
            }
            if (string.IsNullOrEmpty(key.KeyId))
            {
                builder.AddError("Upstream:Auth:KeyId is required: the key has no 'kid', and SMART Backend Services assertions must name their key.");
            }
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException or FormatException or System.Text.Json.JsonException
                                       or InvalidOperationException or KeyNotFoundException)
        {
            // The parser's messages describe the key's shape (kty, curve, missing members), never its secret parts.
            builder.AddError($"Upstream:Auth:PrivateKey is not a usable RS384/ES384 private key: {ex.Message}");
        }
        return builder;
    }

    private static ValidateOptionsResultBuilder Error(ValidateOptionsResultBuilder builder, string message)
    {
        builder.AddError(message);
        return builder;
    }
}
