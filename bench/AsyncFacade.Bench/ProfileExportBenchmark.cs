namespace AsyncFacade.Bench;

/// <summary>
/// Export of one large type through a real server's quirks (`SampleUpstream:Profile`, e.g. Medplum: pages of 1,000,
/// `_offset` capped at 10,000, cursor links only for `_sort=_lastUpdated`) with per-page latency, against the best
/// single client for that server: one sequential cursor pager over the same upstream, in the same run, interleaved.
/// Both sides' ids are compared with the type's full id set, so a fast but lossy export fails instead of winning.
/// </summary>
internal static class ProfileExportBenchmark
{
    public static async Task<int> RunAsync(string configuration, string profile, int patients, int runs, int parallelism, int latencyMs, string type)
    {
        await using var server = await BenchServer.StartAsync(configuration, new Dictionary<string, string>
        {
            ["SampleUpstream__Profile"] = profile,
            ["SampleUpstream__Patients"] = patients.ToString(),
            ["SampleUpstream__LatencyMilliseconds"] = latencyMs.ToString(),
            ["Export__MaxParallelism"] = parallelism.ToString(),
        });
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        var exporter = new IdExportClient(client, parallelism);
        var kickOffUrl = $"{server.BaseUrl}/fhir/$export?_type={type}";
        var pagerUrl = $"{server.BaseUrl}/upstream/fhir/{type}?_count=1000&_sort=_lastUpdated";

        // Warm-up, not measured; the cursor pager's ids are the expected set (it is checked against _summary=count too).
        (var expected, var pagerEntries, _) = await CursorPager.PageAsync(client, pagerUrl);
        var counted = await CountAsync(client, $"{server.BaseUrl}/upstream/fhir/{type}?_summary=count");
        if (expected.Count != counted || pagerEntries != counted)
        {
            Console.Error.WriteLine($"The cursor pager saw {expected.Count:N0} distinct of {pagerEntries:N0} entries; the upstream counts {counted:N0}.");
            return 1;
        }
        var warmUp = await exporter.ExportAsync(kickOffUrl);

        var exportRates = new List<double>();
        var pagerRates = new List<double>();
        var complete = true;
        var last = warmUp;
        for (var run = 0; run < runs; run++)
        {
            last = await exporter.ExportAsync(kickOffUrl);
            complete &= Report($"export run {run + 1}", last, expected);
            exportRates.Add(last.Lines / last.Seconds);

            (var ids, var entries, var seconds) = await CursorPager.PageAsync(client, pagerUrl);
            if (!ids.SetEquals(expected) || entries != expected.Count)
            {
                Console.Error.WriteLine($"cursor pager run {run + 1}: {ids.Count:N0} distinct of {entries:N0} entries, expected {expected.Count:N0}");
                complete = false;
            }
            pagerRates.Add(entries / seconds);
        }

        var exportMedian = Measurements.Median(exportRates);
        var pagerMedian = Measurements.Median(pagerRates);
        Console.WriteLine($"{type} $export through the '{profile}' profile: {expected.Count:N0} resources, {latencyMs} ms per upstream request, " +
                          $"Export:MaxParallelism={parallelism}, {runs} runs, medians");
        Console.WriteLine("| path | resources/s (median) | ratio | complete |");
        Console.WriteLine("|---|---:|---:|---|");
        Console.WriteLine($"| one sequential cursor pager (`_sort=_lastUpdated`), upstream direct (baseline) | {pagerMedian:N0} | 1.00 | yes |");
        Console.WriteLine($"| $export: kick-off to last byte downloaded | {exportMedian:N0} | {exportMedian / pagerMedian:F2} | {(Missing(last, expected) == 0 && last.Lines == expected.Count ? "yes" : "NO")} |");
        Console.WriteLine($"export runs (resources/s): {string.Join(", ", exportRates.Select(r => r.ToString("N0")))}; cursor pager: {string.Join(", ", pagerRates.Select(r => r.ToString("N0")))}");
        return complete ? 0 : 1;
    }

    private static bool Report(string what, IdExportRun run, HashSet<string> expected)
    {
        var missing = Missing(run, expected);
        var extra = run.Ids.Count(id => !expected.Contains(id));
        var duplicates = run.Lines - run.Ids.Count;
        if (missing == 0 && extra == 0 && duplicates == 0 && run.Errors.Count == 0)
        {
            return true;
        }
        Console.Error.WriteLine($"{what}: {run.Ids.Count:N0} distinct ids in {run.Lines:N0} lines; missing {missing:N0}, unexpected {extra:N0}, duplicates {duplicates:N0}, error lines {run.Errors.Count}");
        foreach (var error in run.Errors.Take(3))
        {
            Console.Error.WriteLine("  error[]: " + (error.Length > 300 ? error[..300] + "…" : error));
        }
        return false;
    }

    private static int Missing(IdExportRun run, HashSet<string> expected) => expected.Count(id => !run.Ids.Contains(id));

    private static async Task<long> CountAsync(HttpClient client, string url)
    {
        using var document = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(url));
        return document.RootElement.GetProperty("total").GetInt64();
    }
}
