using System.Net.Http.Headers;

namespace AsyncFacade.Client;

/// <summary>The async protocol's response headers: Retry-After (seconds or HTTP-date), X-Progress, Expires.</summary>
internal static class ResponseHeaders
{
    /// <summary>
    /// Retry-After as a delay. An HTTP-date is measured against the response's own `Date` when it has one, so a client
    /// whose clock is off still waits what the server meant.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        if (response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }
        if (retryAfter.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }
        if (retryAfter.Date is { } date)
        {
            var now = response.Headers.Date ?? time.GetUtcNow();
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    public static string? Progress(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Progress", out var values) ? string.Join(", ", values) : null;

    public static DateTimeOffset? Expires(HttpResponseMessage response) => response.Content.Headers.Expires;

    public static bool IsJson(HttpContentHeaders headers) =>
        headers.ContentType?.MediaType is { } type && (type.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
}
