using System.Net;
using System.Net.Http.Headers;
using AsyncFacade.Server.Upstream.Credentials;

namespace AsyncFacade.Server.Upstream;

/// <summary>
/// Puts the facade's upstream credential on every call (replacing any Authorization the request carries) and, when
/// the upstream answers 401, gets a new token and sends the call once more: a token expires in flight, or the upstream
/// restarted and forgot every token it issued. A second 401, with a token issued for this very retry, means the
/// upstream refuses our credentials: the response is marked (<see cref="Refused"/>) and readiness told.
/// In mode none the request goes as it is (pass-through keeps the caller's Authorization, if allowed).
/// </summary>
internal sealed class UpstreamCredentialHandler(UpstreamTokenSource tokens, ILogger<UpstreamCredentialHandler> logger) : DelegatingHandler
{
    /// <summary>Set on a request whose 401 is a refusal of our credentials, not of a token that could be renewed.</summary>
    public static readonly HttpRequestOptionsKey<bool> Refused = new("AsyncFacade.UpstreamCredentialsRefused");

    /// <summary>
    /// Whether a request with a body may be sent a second time. Job calls: yes, unless the body is a
    /// <see cref="StreamContent"/> (read once; an async interaction's stored body): bodies built in memory or from a
    /// buffer (an import's BundleContent, forms, strings) serialize again. Pass-through: no, its body is the caller's
    /// request stream, already consumed; its 401 goes back to the caller, and the next call has the new token.
    /// A 401 means the request was not processed, so resending a POST cannot apply it twice.
    /// </summary>
    public bool ResendBodies { get; init; } = true;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!tokens.IsActive)
        {
            return await base.SendAsync(request, cancellationToken);
        }
        var token = await tokens.GetTokenAsync(null, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            tokens.Accepted();
            return response;
        }
        var path = request.RequestUri?.AbsolutePath ?? "";
        if (!tokens.Renews)
        {
            return Refuse(request, response, path, "Upstream:BearerToken has expired or was revoked; set Upstream:Auth to have tokens renewed");
        }
        if (!CanResend(request))
        {
            // Not resent, but the refused token is replaced now, so the next call does not fail the same way.
            await tokens.GetTokenAsync(token, cancellationToken);
            UpstreamLog.TokenRenewed(logger, request.Method.Method, path, false);
            return response;
        }
        response.Dispose();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(token, cancellationToken));
        UpstreamLog.TokenRenewed(logger, request.Method.Method, path, true);
        response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            tokens.Accepted();
            return response;
        }
        return Refuse(request, response, path, "it refused a token its token endpoint had just issued");
    }

    private HttpResponseMessage Refuse(HttpRequestMessage request, HttpResponseMessage response, string path, string why)
    {
        request.Options.Set(Refused, true);
        UpstreamLog.CredentialsRefused(logger, request.Method.Method, path, (int)response.StatusCode);
        tokens.Refused($"The upstream answered 401 to {request.Method.Method} {path}: {why}.");
        return response;
    }

    private bool CanResend(HttpRequestMessage request) => request.Content is null || (ResendBodies && request.Content is not StreamContent);

    /// <summary>Whether the credential handler marked this answer as a refusal of the facade's credentials.</summary>
    public static bool IsRefusal(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Unauthorized && response.RequestMessage?.Options.TryGetValue(Refused, out var refused) == true && refused;
}
