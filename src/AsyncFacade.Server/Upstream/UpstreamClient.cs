using AsyncFacade.Server.Fhir;

namespace AsyncFacade.Server.Upstream;

/// <summary>
/// The typed client jobs use to call the upstream. Resilience (attempt timeout, retries that honour Retry-After on
/// 429/503, a concurrency limit) sits in the handler pipeline configured in <see cref="UpstreamExtensions"/>.
/// Callers read bodies with ResponseHeadersRead and stream them; nothing here buffers a response.
/// </summary>
internal sealed class UpstreamClient(HttpClient httpClient, UpstreamEndpoint endpoint)
{
    public string BaseUrl => endpoint.BaseUrl;

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsAbsoluteUri: false } relative)
        {
            request.RequestUri = endpoint.Resolve(relative.OriginalString);
        }
        if (request.Headers.Accept.Count == 0)
        {
            request.Headers.Accept.ParseAdd(FhirMediaTypes.Json);
        }
        return await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public Task<HttpResponseMessage> GetAsync(string relativeUrl, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, endpoint.Resolve(relativeUrl)), cancellationToken);
}
