using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace AsyncFacade.Bench;

/// <summary>
/// `$import` of one server's whole `$export` (fed in as its manifest) into an empty upstream, end to end (kick-off to
/// manifest), against the loop one writes without the facade: every line PUT to the upstream one request at a time.
/// Three processes, so the importer's memory is its own: the source (sample data, exported once), the target (an empty
/// sample upstream, restarted empty before every measured run) and the importing facade in front of the target.
/// </summary>
internal static class ImportBenchmark
{
    /// <param name="latencyMs">Time every request to the target takes at least (a real server's round trip and commit).</param>
    public static async Task<int> RunAsync(string configuration, int patients, int runs, int batchSize, int parallelism, bool validate, bool targetValidates,
        int latencyMs)
    {
        await using var source = await BenchServer.StartAsync(configuration, new Dictionary<string, string>
        {
            ["SampleUpstream__Patients"] = patients.ToString(),
        });
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        var exportManifest = await RunJobAsync(client, new HttpRequestMessage(HttpMethod.Get, source.BaseUrl + "/fhir/$export"));
        var files = JsonSerializer.Deserialize<ExportManifest>(exportManifest)!.Output;
        var expected = files.Sum(f => f.Count);

        var targetPort = BenchServer.FreePort();
        var target = await StartTargetAsync(configuration, targetPort, targetValidates, latencyMs);
        var upstream = $"http://127.0.0.1:{targetPort}/upstream/fhir";
        await using var importer = await BenchServer.StartAsync(configuration, new Dictionary<string, string>
        {
            ["Upstream__BaseUrl"] = upstream,
            ["Import__AllowedHosts__0"] = "127.0.0.1",
            ["Import__BatchSize"] = batchSize.ToString(),
            ["Import__MaxParallelism"] = parallelism.ToString(),
            ["Import__ValidateResources"] = validate.ToString(),
        });
        try
        {
            // Warm-up (JIT, connection pools), not measured; every run's counts are checked like this one's.
            if (!Check("warm-up import", await ImportAsync(client, importer.BaseUrl, exportManifest), expected))
            {
                return 1;
            }
            var rssAfterWarmUp = importer.PeakRssMiB();

            var imports = new List<double>();
            var naive = new List<double>();
            // CPU seconds per 1,000 resources of the last runs: where the time goes on a machine the three processes share.
            var cpu = "";
            for (var run = 0; run < runs; run++)
            {
                target = await RestartAsync(target, configuration, targetPort, targetValidates, latencyMs);
                var (importerCpu, sourceCpu) = (importer.CpuSeconds(), source.CpuSeconds());
                var import = await ImportAsync(client, importer.BaseUrl, exportManifest);
                if (!Check($"import run {run + 1}", import, expected))
                {
                    return 1;
                }
                imports.Add(import.Written / import.Seconds);
                cpu = $"import: importer {PerThousand(importer.CpuSeconds() - importerCpu, expected)}, target {PerThousand(target.CpuSeconds(), expected)}, " +
                      $"source {PerThousand(source.CpuSeconds() - sourceCpu, expected)}";

                target = await RestartAsync(target, configuration, targetPort, targetValidates, latencyMs);
                sourceCpu = source.CpuSeconds();
                // A client of its own: pooled connections to the target before its restart are dead.
                using var naiveClient = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
                (var count, var seconds) = await NaivePutLoop.PutAllAsync(naiveClient, files, upstream);
                if (count != expected)
                {
                    Console.Error.WriteLine($"Mismatch: the naive loop wrote {count:N0} resources, the export has {expected:N0}");
                    return 1;
                }
                naive.Add(count / seconds);
                cpu += $"; naive: target {PerThousand(target.CpuSeconds(), expected)}, source {PerThousand(source.CpuSeconds() - sourceCpu, expected)} (+ the bench client)";
            }

            var importMedian = Measurements.Median(imports);
            var naiveMedian = Measurements.Median(naive);
            Console.WriteLine($"$import of a system export: {patients:N0} patients, {expected:N0} resources in {files.Count} files, " +
                              $"Import:BatchSize={batchSize}, Import:MaxParallelism={parallelism}, Import:ValidateResources={validate}, target SampleUpstream:ValidateResources={targetValidates}, {latencyMs} ms per target request, {runs} runs, medians; each run into an empty upstream");
            Console.WriteLine("| path | resources/s (median) | ratio |");
            Console.WriteLine("|---|---:|---:|");
            Console.WriteLine($"| naive loop, one PUT per resource, upstream direct (baseline) | {naiveMedian:N0} | 1.00 |");
            Console.WriteLine($"| $import: kick-off to manifest | {importMedian:N0} | {importMedian / naiveMedian:F2} |");
            Console.WriteLine($"import runs (resources/s): {string.Join(", ", imports.Select(r => r.ToString("N0")))}; naive: {string.Join(", ", naive.Select(r => r.ToString("N0")))}");
            Console.WriteLine($"CPU ms per 1,000 resources, last run ({Environment.ProcessorCount} cores shared by all processes) — {cpu}");
            Console.WriteLine($"importer peak RSS: {importer.PeakRssMiB():N0} MiB (after warm-up: {rssAfterWarmUp:N0} MiB; the facade process alone, the target store is another process)");
            return 0;
        }
        finally
        {
            await target.DisposeAsync();
        }
    }

    private static string PerThousand(double cpuSeconds, long resources) => (cpuSeconds * 1000 / (resources / 1000.0)).ToString("N0");

    private static Task<BenchServer> StartTargetAsync(string configuration, int port, bool targetValidates, int latencyMs) =>
        BenchServer.StartAsync(configuration, new Dictionary<string, string>
        {
            ["SampleUpstream__Patients"] = "0",
            ["SampleUpstream__ValidateResources"] = targetValidates.ToString(),
            ["SampleUpstream__LatencyMilliseconds"] = latencyMs.ToString(),
        }, port);

    private static async Task<BenchServer> RestartAsync(BenchServer target, string configuration, int port, bool targetValidates, int latencyMs)
    {
        await target.DisposeAsync();
        return await StartTargetAsync(configuration, port, targetValidates, latencyMs);
    }

    private static async Task<ImportRun> ImportAsync(HttpClient client, string importerBase, string manifest)
    {
        var watch = Stopwatch.StartNew();
        var request = new HttpRequestMessage(HttpMethod.Post, importerBase + "/fhir/$import")
        {
            Content = new StringContent(manifest, Encoding.UTF8, "application/json"),
        };
        using var result = JsonDocument.Parse(await RunJobAsync(client, request));
        var seconds = watch.Elapsed.TotalSeconds;
        var written = result.RootElement.GetProperty("output").EnumerateArray().Sum(o => o.GetProperty("count").GetInt64());
        var errors = result.RootElement.GetProperty("error").EnumerateArray().Sum(e => e.GetProperty("count").GetInt64());
        return new ImportRun(written, errors, seconds);
    }

    /// <summary>Kicks off a bulk job and waits for its manifest (the job is kept: an export's files are read until the end).</summary>
    private static async Task<string> RunJobAsync(HttpClient client, HttpRequestMessage kickOff)
    {
        using (kickOff)
        {
            kickOff.Headers.TryAddWithoutValidation("Prefer", "respond-async");
            using var accepted = await client.SendAsync(kickOff);
            if (accepted.StatusCode != HttpStatusCode.Accepted || accepted.Content.Headers.ContentLocation is not { } statusUrl)
            {
                throw new InvalidOperationException($"Kick-off answered {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync()}");
            }
            return (await StatusPoller.WaitAsync(client, statusUrl)).Manifest;
        }
    }

    private static bool Check(string what, ImportRun run, long expected)
    {
        if (run.Written != expected || run.Errors > 0)
        {
            Console.Error.WriteLine($"Mismatch in {what}: {run.Written:N0} resources written (expected {expected:N0}), {run.Errors:N0} error lines");
            return false;
        }
        return true;
    }

    private sealed record ImportRun(long Written, long Errors, double Seconds);
}
