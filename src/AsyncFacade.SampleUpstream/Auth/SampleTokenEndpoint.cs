using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream.Auth;

/// <summary>
/// `POST {base}/auth/token`: OAuth 2.0 client_credentials (RFC 6749 §4.4) for the one registered client, authenticated
/// by its secret (client_secret_basic §2.3.1 or client_secret_post) or a private_key_jwt assertion (RFC 7523, SMART
/// Backend Services). Errors are RFC 6749 §5.2 bodies: invalid_client answers 401, the rest 400.
/// </summary>
internal static class SampleTokenEndpoint
{
    public const string Path = "/auth/token";

    public static async Task<IResult> IssueAsync(HttpRequest request, SampleTokenIssuer issuer, ClientAssertionCheck assertions,
        IOptions<SampleUpstreamOptions> options, CancellationToken cancellationToken)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        if (!request.HasFormContentType)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", "The body must be application/x-www-form-urlencoded.");
        }
        var form = await request.ReadFormAsync(cancellationToken);
        if (form["grant_type"] != "client_credentials")
        {
            return Error(StatusCodes.Status400BadRequest, "unsupported_grant_type", "Only grant_type=client_credentials is supported.");
        }
        var auth = options.Value.Auth;
        var problem = Authenticate(request, form, auth, assertions, TokenUrl(request, options.Value.BasePath));
        if (problem is not null)
        {
            return Error(StatusCodes.Status401Unauthorized, "invalid_client", problem);
        }
        var (token, lifetime) = issuer.Issue();
        var scope = form["scope"].ToString();
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = token,
            ["token_type"] = "bearer",
            ["expires_in"] = lifetime,
            ["scope"] = scope,
        });
    }

    /// <summary>The token endpoint's URL as clients reach it: the `aud` their assertions must carry.</summary>
    public static string TokenUrl(HttpRequest request, string basePath) => $"{request.Scheme}://{request.Host}{request.PathBase}{basePath}{Path}";

    private static string? Authenticate(HttpRequest request, IFormCollection form, Profiles.AuthQuirks auth, ClientAssertionCheck assertions, string tokenUrl)
    {
        if (form.ContainsKey("client_assertion"))
        {
            if (form["client_assertion_type"] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            {
                return "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.";
            }
            return assertions.Verify(form["client_assertion"].ToString(), auth.ClientId, auth.PublicKey, tokenUrl);
        }
        var (id, secret) = BasicCredentials(request) ?? (form["client_id"].ToString(), form["client_secret"].ToString());
        if (id != auth.ClientId || string.IsNullOrEmpty(auth.ClientSecret))
        {
            return "Unknown client, or it has no secret registered.";
        }
        // Compared in constant time, as a real server must.
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(auth.ClientSecret))
            ? null
            : "The client secret is wrong.";
    }

    private static (string Id, string Secret)? BasicCredentials(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return null;
        }
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter)).Split(':', 2);
            return pair.Length == 2 ? (WebUtility.UrlDecode(pair[0]), WebUtility.UrlDecode(pair[1])) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static IResult Error(int status, string error, string description) =>
        Results.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, statusCode: status);
}
