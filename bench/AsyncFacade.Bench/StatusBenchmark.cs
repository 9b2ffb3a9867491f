using System.Diagnostics;
using System.Net;

namespace AsyncFacade.Bench;

/// <summary>
/// Status polling throughput and latency with many running jobs, and kick-off latency. The baseline, measured
/// in the same run with the same load generator, is `/health/live` (routing and Kestrel, no job lookup).
/// </summary>
internal static class StatusBenchmark
{
    public static async Task<int> RunAsync(string configuration, string? postgres, int jobs, int concurrency, int seconds)
    {
        await using var upstream = await HeldUpstream.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["Upstream__BaseUrl"] = upstream.BaseUrl,
            ["Upstream__MaxConcurrency"] = (jobs + 16).ToString(),
            ["Jobs__WorkerCount"] = Math.Min(200, jobs).ToString(),
            ["Async__ThrottleOverPolling"] = "false", // the load generator polls as fast as it can on purpose
            // Every held job is the same anonymous owner's: a limit above them all, so its check is measured but never refuses.
            ["Async__MaxActiveJobsPerOwner"] = (jobs + 100).ToString(),
        };
        if (postgres is not null)
        {
            settings["ConnectionStrings__Postgres"] = postgres;
        }
        await using var server = await BenchServer.StartAsync(configuration, settings);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 }) { BaseAddress = new Uri(server.BaseUrl) };

        // Warm-up (JIT, connection pools, first database round trips): kicked off and cancelled, not measured.
        for (var i = 0; i < 20; i++)
        {
            using var warm = new HttpRequestMessage(HttpMethod.Get, "/fhir/Patient/warm-up");
            warm.Headers.TryAddWithoutValidation("Prefer", "respond-async");
            using var accepted = await client.SendAsync(warm);
            (await client.DeleteAsync(accepted.Content.Headers.ContentLocation)).Dispose();
        }

        var kickOff = new List<double>();
        var statusUrls = new List<string>();
        for (var i = 0; i < jobs; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/fhir/Patient/held-{i}");
            request.Headers.TryAddWithoutValidation("Prefer", "respond-async");
            var watch = Stopwatch.StartNew();
            using var response = await client.SendAsync(request);
            kickOff.Add(watch.Elapsed.TotalMilliseconds);
            statusUrls.Add(response.Content.Headers.ContentLocation!.ToString());
        }
        await WaitUntilRunningAsync(client, statusUrls);

        var baseline = await LoadAsync(client, ["/health/live"], concurrency, TimeSpan.FromSeconds(seconds));
        var status = await LoadAsync(client, statusUrls, concurrency, TimeSpan.FromSeconds(seconds));

        Console.WriteLine($"status polling: {jobs} running jobs, {concurrency} concurrent pollers, {seconds} s each, store: {(postgres is null ? "in-memory" : "PostgreSQL")}");
        Console.WriteLine("| endpoint | requests/s | p50 ms | p99 ms | ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine($"| /health/live (baseline) | {baseline.Rate:N0} | {baseline.P50:F2} | {baseline.P99:F2} | 1.00 |");
        Console.WriteLine($"| /fhir/_async/{{id}} (202) | {status.Rate:N0} | {status.P50:F2} | {status.P99:F2} | {status.Rate / baseline.Rate:F2} |");
        Console.WriteLine($"kick-off latency over {jobs} sequential kick-offs: p50 {Percentile(kickOff, 0.5):F2} ms, p99 {Percentile(kickOff, 0.99):F2} ms");
        Console.WriteLine($"server peak RSS: {server.PeakRssMiB():N0} MiB");
        return status.Errors == 0 ? 0 : 1;
    }

    private static async Task WaitUntilRunningAsync(HttpClient client, List<string> statusUrls)
    {
        var deadline = Stopwatch.StartNew();
        foreach (var url in statusUrls)
        {
            while (true)
            {
                using var response = await client.GetAsync(url);
                var progress = response.Headers.TryGetValues("X-Progress", out var values) ? values.First() : "";
                if (progress.StartsWith("waiting for the upstream", StringComparison.Ordinal) || deadline.Elapsed > TimeSpan.FromSeconds(60))
                {
                    break;
                }
                await Task.Delay(50);
            }
        }
    }

    private static async Task<(double Rate, double P50, double P99, int Errors)> LoadAsync(HttpClient client, IReadOnlyList<string> urls, int concurrency, TimeSpan duration)
    {
        var latencies = new List<double>[concurrency];
        var errors = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = new List<double>(100_000);
            var i = worker;
            while (watch.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(urls[i++ % urls.Count], HttpCompletionOption.ResponseHeadersRead);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted))
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        var all = latencies.SelectMany(l => l).ToList();
        return (all.Count / watch.Elapsed.TotalSeconds, Percentile(all, 0.5), Percentile(all, 0.99), errors);
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }
}
