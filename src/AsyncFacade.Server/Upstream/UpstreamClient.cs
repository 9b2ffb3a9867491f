using System.Net;
using System.Text.Json;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Upstream.Credentials;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace AsyncFacade.Server.Upstream;

/// <summary>
/// The typed client jobs use to call the upstream. Resilience (attempt timeout, retries that honour Retry-After on
/// 429/503, a concurrency limit) sits in the handler pipeline configured in <see cref="UpstreamExtensions"/>.
/// Callers read bodies with ResponseHeadersRead and stream them; nothing here buffers a response.
/// </summary>
internal sealed class UpstreamClient(HttpClient httpClient, UpstreamEndpoint endpoint, IOptions<UpstreamOptions> options, TimeProvider time)
{
    public string BaseUrl => endpoint.BaseUrl;

    public TimeProvider Time => time;

    /// <summary>
    /// A budget for retrying a whole exchange that failed after its headers came (a body cut off or garbled); the
    /// handler pipeline has already retried what failed before that.
    /// </summary>
    public RetryBudget NewRetryBudget() => new(options.Value);

    /// <summary>The body of an upstream answer, failing with <see cref="UpstreamBodyException"/> when it is cut off or stops arriving.</summary>
    public async Task<Stream> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        new IdleTimeoutStream(await response.Content.ReadAsStreamAsync(cancellationToken), TimeSpan.FromSeconds(options.Value.TimeoutSeconds), time);

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
        var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (UpstreamCredentialHandler.IsRefusal(response))
        {
            // Not the caller's 401 to replay: the facade's own credentials are refused, and every job call would be.
            var path = request.RequestUri?.AbsolutePath;
            response.Dispose();
            throw new UpstreamAuthException(OperationOutcome.IssueType.Login,
                $"The upstream FHIR server refused the facade's credentials (401 to {request.Method} {path}); check Upstream:Auth or Upstream:BearerToken.");
        }
        return response;
    }

    public Task<HttpResponseMessage> GetAsync(string relativeUrl, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, endpoint.Resolve(relativeUrl)), cancellationToken);

    /// <summary>A GET (URL relative to the upstream base, or absolute); null when the upstream cannot be reached after the pipeline's retries.</summary>
    public Task<HttpResponseMessage?> TryGetAsync(string url, CancellationToken cancellationToken) => TryGetAsync(url, null, cancellationToken);

    /// <param name="prefer">A `Prefer` header to send (e.g. `handling=strict`), or null.</param>
    public async Task<HttpResponseMessage?> TryGetAsync(string url, string? prefer, CancellationToken cancellationToken)
    {
        try
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.RelativeOrAbsolute));
            if (prefer is not null)
            {
                request.Headers.TryAddWithoutValidation("Prefer", prefer);
            }
            return await SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
        {
            return null;
        }
    }

    /// <summary>
    /// A small JSON answer (metadata, a count, a Group, a page of patients or of history), parsed whole. An exchange
    /// whose body is cut off or is not JSON is repeated within the retry budget, as the pipeline repeats one that failed
    /// before its headers. <c>Json</c> is null when the answer is not a success (<c>Status</c> says which) or the upstream
    /// stays unreachable (<c>Status</c> null); <c>Problem</c> says why in words a client can read.
    /// </summary>
    public async Task<UpstreamJson> GetJsonAsync(string url, CancellationToken cancellationToken)
    {
        var budget = NewRetryBudget();
        while (true)
        {
            string problem;
            using (var response = await TryGetAsync(url, cancellationToken))
            {
                if (response is null)
                {
                    return new UpstreamJson(null, null, "the upstream could not be reached");
                }
                if (!response.IsSuccessStatusCode)
                {
                    return new UpstreamJson(response.StatusCode, null, $"the upstream answered {(int)response.StatusCode} {response.ReasonPhrase}");
                }
                try
                {
                    await using var body = await ReadBodyAsync(response, cancellationToken);
                    return new UpstreamJson(response.StatusCode, await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken), null);
                }
                catch (Exception ex) when (ex is JsonException or UpstreamBodyException)
                {
                    problem = ex is JsonException ? "the upstream's answer was not valid JSON" : "the upstream's answer was cut off";
                }
            }
            if (!await budget.WaitAsync(null, time, cancellationToken))
            {
                return new UpstreamJson(null, null, $"{problem}, {budget.Retries + 1} times");
            }
        }
    }

    /// <summary>
    /// The upstream is down, slow past the attempt timeout, or the call was refused by the circuit breaker or the
    /// concurrency limiter; not when the caller itself cancelled, and not when it refuses our credentials (that is
    /// permanent: <see cref="UpstreamAuthException"/> fails the job with `login`).
    /// </summary>
    public static bool IsUnreachable(Exception ex, CancellationToken cancellationToken) =>
        ex is (HttpRequestException and not UpstreamAuthException) or TimeoutRejectedException or BrokenCircuitException or RateLimiterRejectedException
        || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested);
}

/// <summary>What <see cref="UpstreamClient.GetJsonAsync"/> got: the document, or the status and the reason there is none.</summary>
internal sealed record UpstreamJson(HttpStatusCode? Status, JsonDocument? Json, string? Problem) : IDisposable
{
    public void Dispose() => Json?.Dispose();
}
