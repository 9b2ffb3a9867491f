using System.Net;
using System.Net.Http.Headers;

namespace AsyncFacade.Client.Auth;

/// <summary>
/// Puts a current access token on every request; on a 401 it fetches a new token and sends the request once more.
/// </summary>
/// <param name="getToken">Gives a current token; its argument is a token the server just refused (null: none).</param>
public sealed class BearerTokenHandler(Func<string?, CancellationToken, Task<string>> getToken) : DelegatingHandler
{
    public BearerTokenHandler(SmartTokenProvider tokens) : this(tokens.GetTokenAsync)
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await getToken(null, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || request.Content is StreamContent)
        {
            return response;
        }
        // The token expired in flight or was revoked: one retry with a new one (request bodies here are byte arrays, resendable).
        response.Dispose();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await getToken(token, cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
