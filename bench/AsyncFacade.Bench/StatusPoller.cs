using System.Diagnostics;
using System.Net;

namespace AsyncFacade.Bench;

/// <summary>Long-polls a Bulk Data status URL until the manifest is ready, as a real client does.</summary>
internal static class StatusPoller
{
    // Bulk Data §status: a client may ask to be held; the server caps it (Async:MaxWaitSeconds) and answers early when the job finishes.
    private const string LongPoll = "wait=30";

    /// <returns>The manifest's JSON text and how many status requests it took.</returns>
    public static async Task<(string Manifest, int Polls)> WaitAsync(HttpClient client, Uri statusUrl)
    {
        var deadline = Stopwatch.StartNew();
        for (var polls = 1; ; polls++)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(30))
            {
                throw new TimeoutException($"The job at {statusUrl} did not finish within 30 minutes.");
            }
            using var poll = new HttpRequestMessage(HttpMethod.Get, statusUrl);
            poll.Headers.TryAddWithoutValidation("Prefer", LongPoll);
            poll.Headers.TryAddWithoutValidation("Accept", "application/json");
            using var response = await client.SendAsync(poll);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    return (await response.Content.ReadAsStringAsync(), polls);
                case HttpStatusCode.Accepted:
                    // Held until the wait ran out (a finished job answers at once): asking again at once is what long polling means.
                    continue;
                case HttpStatusCode.TooManyRequests:
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                    continue;
                default:
                    throw new InvalidOperationException($"Status poll answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }
    }
}
