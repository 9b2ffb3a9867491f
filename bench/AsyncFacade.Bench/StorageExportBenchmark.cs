namespace AsyncFacade.Bench;

/// <summary>
/// The same system `$export` on two servers in one run, interleaved: output on the local disk (the baseline) and in
/// Azure Blob Storage (Azurite, started here), each file downloaded by the client, from the facade or, with signed
/// links, straight from storage. Every run's counts are checked against the warm-up. Issue 17's bar: the object store
/// reaches ≥ 70 % of the local rate, and the facade's peak RSS stays ≤ 300 MiB, flat in export size.
/// </summary>
internal static class StorageExportBenchmark
{
    private const int PageSize = 1000;

    public static async Task<int> RunAsync(string configuration, int patients, int runs, int parallelism, int latencyMs, bool signedLinks, bool azuriteInMemory)
    {
        // The sample upstream runs in a process of its own, so the facades' RSS and CPU are theirs alone (the generated
        // data and its serving grow with the export; the facade's memory must not).
        await using var upstream = await BenchServer.StartAsync(configuration, new Dictionary<string, string>
        {
            ["SampleUpstream__Patients"] = patients.ToString(),
            ["SampleUpstream__MaxPageSize"] = PageSize.ToString(),
            ["SampleUpstream__LatencyMilliseconds"] = latencyMs.ToString(),
        });
        var common = new Dictionary<string, string>
        {
            ["Upstream__BaseUrl"] = upstream.BaseUrl + "/upstream/fhir",
            ["Export__MaxParallelism"] = parallelism.ToString(),
        };
        await using var azurite = await AzuriteProcess.StartAsync(azuriteInMemory);
        var azure = new Dictionary<string, string>(common)
        {
            ["Storage__Provider"] = "azureblob",
            ["Storage__Azure__ConnectionString"] = azurite.ConnectionString,
            ["Storage__Azure__Container"] = "bench-" + Guid.NewGuid().ToString("N")[..12],
            ["Storage__SignedLinks"] = signedLinks ? "true" : "false",
        };
        await using var localServer = await BenchServer.StartAsync(configuration, common);
        await using var azureServer = await BenchServer.StartAsync(configuration, azure);
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        var exporter = new BulkExportClient(client, parallelism);

        var warmLocal = await exporter.ExportAsync(localServer.BaseUrl + "/fhir/$export");
        var warmAzure = await exporter.ExportAsync(azureServer.BaseUrl + "/fhir/$export");
        if (warmAzure.Resources != warmLocal.Resources || warmLocal.ErrorLines + warmAzure.ErrorLines > 0)
        {
            Console.Error.WriteLine($"Mismatch in the warm-up: local {warmLocal.Resources:N0}, Azure {warmAzure.Resources:N0} resources; error lines {warmLocal.ErrorLines}/{warmAzure.ErrorLines}");
            return 1;
        }
        var rssWarm = (Local: localServer.PeakRssMiB(), Azure: azureServer.PeakRssMiB());

        // End to end (kick-off to the last file downloaded) and the export alone (kick-off to the manifest): with signed
        // links the downloads are the store's work, which on the same two cores competes with the export.
        var local = new List<double>();
        var blob = new List<double>();
        var localExport = new List<double>();
        var blobExport = new List<double>();
        var cpu = new Dictionary<string, List<double>> { ["local"] = [], ["Azure"] = [], ["Azurite"] = [], ["upstream"] = [] };
        for (var run = 0; run < runs; run++)
        {
            foreach (var (server, rates, exportRates, name) in new[] { (localServer, local, localExport, "local"), (azureServer, blob, blobExport, "Azure") })
            {
                var (serverCpu, azuriteCpu, upstreamCpu) = (server.CpuSeconds(), azurite.CpuSeconds(), upstream.CpuSeconds());
                var result = await exporter.ExportAsync(server.BaseUrl + "/fhir/$export");
                cpu[name].Add(server.CpuSeconds() - serverCpu);
                cpu["upstream"].Add(upstream.CpuSeconds() - upstreamCpu);
                if (name == "Azure")
                {
                    cpu["Azurite"].Add(azurite.CpuSeconds() - azuriteCpu);
                }
                if (result.Resources != warmLocal.Resources || result.ErrorLines > 0)
                {
                    Console.Error.WriteLine($"Mismatch in {name} run {run + 1}: {result.Resources:N0} resources (expected {warmLocal.Resources:N0}), {result.ErrorLines} error lines");
                    return 1;
                }
                rates.Add(result.Resources / result.Seconds);
                exportRates.Add(result.Resources / result.ManifestSeconds);
            }
        }

        var localMedian = Measurements.Median(local);
        var blobMedian = Measurements.Median(blob);
        Console.WriteLine($"system $export end to end by output store: {warmLocal.Resources:N0} resources, {warmLocal.Files} files, Export:MaxParallelism={parallelism}, " +
                          $"{latencyMs} ms per upstream page, {runs} runs each, interleaved, medians; downloads {(signedLinks ? "from Azurite by signed link" : "through the facade")}");
        var localExportMedian = Measurements.Median(localExport);
        var blobExportMedian = Measurements.Median(blobExport);
        Console.WriteLine("| output store | end to end, resources/s (median) | ratio | kick-off to manifest, resources/s (median) | ratio | facade peak RSS after warm-up / at the end |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| local disk (baseline) | {localMedian:N0} | 1.00 | {localExportMedian:N0} | 1.00 | {rssWarm.Local:N0} / {localServer.PeakRssMiB():N0} MiB |");
        Console.WriteLine($"| Azure Blob (Azurite{(azuriteInMemory ? ", in memory" : "")}) | {blobMedian:N0} | {blobMedian / localMedian:F2} | {blobExportMedian:N0} | {blobExportMedian / localExportMedian:F2} | " +
                          $"{rssWarm.Azure:N0} / {azureServer.PeakRssMiB():N0} MiB |");
        Console.WriteLine($"runs (resources/s): local {string.Join(", ", local.Select(r => r.ToString("N0")))}; Azure {string.Join(", ", blob.Select(r => r.ToString("N0")))}; " +
                          $"Azurite peak RSS {azurite.PeakRssMiB():N0} MiB (the emulator, not the facade)");
        Console.WriteLine($"CPU seconds per export (median): facade on local disk {Measurements.Median(cpu["local"]):F1}, facade on Azure {Measurements.Median(cpu["Azure"]):F1}, " +
                          $"Azurite {Measurements.Median(cpu["Azurite"]):F1}, sample upstream {Measurements.Median(cpu["upstream"]):F1} (a process of its own; 2 cores shared by all)");
        return 0;
    }
}
