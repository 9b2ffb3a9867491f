using System.Diagnostics;
using System.Text.Json;

namespace AsyncFacade.Bench;

/// <summary>
/// System-level `$export` end to end (kick-off, long-poll, download every file, DELETE) against the sample upstream,
/// and in the same run, interleaved, the baseline a user would otherwise write: one client paging the same upstream
/// directly, type after type, over the types the export covered. Every run's counts are checked, so a fast export
/// that loses resources fails instead of winning. The status's time-left estimates are compared with the truth.
/// </summary>
internal static class ExportBenchmark
{
    private const int PageSize = 1000;

    public static async Task<int> RunAsync(string configuration, string? postgres, int patients, int runs, int parallelism, int latencyMs)
    {
        var settings = new Dictionary<string, string>
        {
            ["SampleUpstream__Patients"] = patients.ToString(),
            ["SampleUpstream__MaxPageSize"] = PageSize.ToString(),
            ["Export__MaxParallelism"] = parallelism.ToString(),
            ["SampleUpstream__LatencyMilliseconds"] = latencyMs.ToString(),
            ["Async__ThrottleOverPolling"] = "false", // the estimate sampler polls faster than Retry-After on purpose
        };
        if (postgres is not null)
        {
            settings["ConnectionStrings__Postgres"] = postgres;
        }
        await using var server = await BenchServer.StartAsync(configuration, settings);
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        // Downloads as parallel as the export itself, as Bulk Data clients do (they download several files at once).
        var exporter = new BulkExportClient(client, parallelism);
        var kickOffUrl = server.BaseUrl + "/fhir/$export";
        var upstream = server.BaseUrl + "/upstream/fhir";

        // Warm-up (JIT, connection pools), not measured. It also fixes the types to compare and, from the direct
        // pager, the expected total that every later run must reproduce.
        var first = await exporter.ExportAsync(kickOffUrl);
        (var expected, _) = await NaivePager.PageAllAsync(client, upstream, first.Types, PageSize);
        if (!Check("warm-up export", first, first.Types, expected))
        {
            return 1;
        }
        var rssAfterWarmUp = server.PeakRssMiB();

        var export = new List<double>();
        var naive = new List<double>();
        var manifestShare = new List<double>();
        var runsMeasured = new List<ExportRun>();
        var last = first;
        for (var run = 0; run < runs; run++)
        {
            last = await exporter.ExportAsync(kickOffUrl);
            if (!Check($"export run {run + 1}", last, first.Types, expected))
            {
                return 1;
            }
            runsMeasured.Add(last);
            export.Add(last.Resources / last.Seconds);
            manifestShare.Add(last.ManifestSeconds / last.Seconds);

            (var count, var seconds) = await NaivePager.PageAllAsync(client, upstream, first.Types, PageSize);
            if (count != expected)
            {
                Console.Error.WriteLine($"Mismatch: naive pager run {run + 1} counted {count:N0} resources, the warm-up {expected:N0}");
                return 1;
            }
            naive.Add(count / seconds);
        }

        var exportMedian = Measurements.Median(export);
        var naiveMedian = Measurements.Median(naive);
        Console.WriteLine($"system $export end to end: {patients:N0} patients, {expected:N0} resources in {first.Types.Count} types, " +
                          $"Export:MaxParallelism={parallelism}, upstream _count={PageSize}, {latencyMs} ms per upstream page, store: {(postgres is null ? "in-memory" : "PostgreSQL")}, {runs} runs, medians");
        Console.WriteLine("| path | resources/s (median) | ratio |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| naive sequential pager, upstream direct (baseline) | {naiveMedian:N0} | 1.00 |");
        Console.WriteLine($"| $export: kick-off to last byte downloaded | {exportMedian:N0} | {exportMedian / naiveMedian:F2} |");
        Console.WriteLine($"resources per export: {last.Resources:N0}; files: {last.Files}; error lines: {last.ErrorLines}; " +
                          $"time to manifest: {Measurements.Median(manifestShare):P0} of the end-to-end time (median); status polls in the last run: {last.StatusPolls}");
        Console.WriteLine($"export runs (resources/s): {string.Join(", ", export.Select(r => r.ToString("N0")))}; naive: {string.Join(", ", naive.Select(r => r.ToString("N0")))}");
        EstimateAccuracy.Print(runsMeasured);
        // VmHWM of the whole server process, sample upstream included, so it overstates the facade's own share.
        Console.WriteLine($"server peak RSS: {server.PeakRssMiB():N0} MiB (after warm-up: {rssAfterWarmUp:N0} MiB; whole process, sample upstream included)");
        return 0;
    }

    private static bool Check(string what, ExportRun run, IReadOnlyList<string> types, long expected)
    {
        if (run.ErrorLines > 0 || run.Resources != expected || !run.Types.SequenceEqual(types))
        {
            Console.Error.WriteLine($"Mismatch in {what}: {run.Resources:N0} resources (expected {expected:N0}), {run.ErrorLines} error lines, " +
                                    $"types [{string.Join(",", run.Types)}] (expected [{string.Join(",", types)}])");
            return false;
        }
        return true;
    }
}
