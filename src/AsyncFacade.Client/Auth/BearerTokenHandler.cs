using System.Net;
using System.Net.Http.Headers;

namespace AsyncFacade.Client.Auth;

/// <summary>
/// Puts a current access token on every request; on a 401 it fetches a new token and sends the request once more.
/// </summary>
public sealed class BearerTokenHandler(SmartTokenProvider tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetTokenAsync(null, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || request.Content is StreamContent)
        {
            return response;
        }
        // The token expired in flight or was revoked: one retry with a new one (request bodies here are byte arrays, resendable).
        response.Dispose();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(token, cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
