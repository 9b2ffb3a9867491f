using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace AsyncFacade.Tests.Infrastructure;

/// <summary>What a well-behaved async client does, for tests: kick off, then poll honouring Retry-After.</summary>
public sealed class AsyncClient(HttpClient http)
{
    public HttpClient Http => http;

    public async Task<string> KickOffAsync(HttpRequestMessage request, string prefer = "respond-async")
    {
        request.Headers.TryAddWithoutValidation("Prefer", prefer);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Kick-off answered {(int)response.StatusCode}: {body}");
        var location = response.Content.Headers.ContentLocation ?? response.Headers.GetValues("Content-Location").Select(v => new Uri(v)).First();
        Assert.True(location.IsAbsoluteUri, "Content-Location must be absolute");
        return location.ToString();
    }

    public Task<string> KickOffAsync(string relativeUrl, string prefer = "respond-async") =>
        KickOffAsync(new HttpRequestMessage(HttpMethod.Get, relativeUrl), prefer);

    /// <summary>Polls until the answer is not 202, sleeping what Retry-After says (capped for tests).</summary>
    public async Task<HttpResponseMessage> WaitAsync(string statusUrl, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var response = await http.GetAsync(statusUrl, TestContext.Current.CancellationToken);
            if (response.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.TooManyRequests))
            {
                return response;
            }
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                // Polled sooner than a long Retry-After (this client caps its wait to keep tests quick): back off as told.
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
                continue;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Job at {statusUrl} still running: {Progress(response)}");
            var retryAfter = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(retryAfter < TimeSpan.FromSeconds(2) ? retryAfter : TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        }
    }

    /// <summary>One `Prefer: wait` status request, and how long the server held it.</summary>
    public async Task<(HttpResponseMessage Response, TimeSpan Held)> LongPollAsync(string statusUrl, int seconds, CancellationToken? cancellationToken = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, statusUrl);
        request.Headers.TryAddWithoutValidation("Prefer", $"wait={seconds}");
        var watch = Stopwatch.StartNew();
        var response = await http.SendAsync(request, cancellationToken ?? TestContext.Current.CancellationToken);
        return (response, watch.Elapsed);
    }

    public static string? Progress(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Progress", out var values) ? values.Single() : null;

    public static JsonElement SingleEntry(JsonElement bundle)
    {
        Assert.Equal("Bundle", bundle.GetProperty("resourceType").GetString());
        Assert.Equal("batch-response", bundle.GetProperty("type").GetString());
        return Assert.Single(bundle.GetProperty("entry").EnumerateArray());
    }
}
