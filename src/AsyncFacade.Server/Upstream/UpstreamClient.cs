using AsyncFacade.Server.Fhir;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

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

    /// <summary>A GET (URL relative to the upstream base, or absolute); null when the upstream cannot be reached after the pipeline's retries.</summary>
    public async Task<HttpResponseMessage?> TryGetAsync(string url, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.RelativeOrAbsolute)), cancellationToken);
        }
        catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
        {
            return null;
        }
    }

    /// <summary>
    /// The upstream is down, slow past the attempt timeout, or the call was refused by the circuit breaker or the
    /// concurrency limiter; not when the caller itself cancelled.
    /// </summary>
    public static bool IsUnreachable(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or RateLimiterRejectedException
        || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested);
}
