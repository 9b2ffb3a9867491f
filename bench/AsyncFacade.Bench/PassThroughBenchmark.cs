
namespace AsyncFacade.Bench;

/// <summary>
/// Pages every Observation through the facade's pass-through (/fhir) and, in the same run and interleaved,
/// straight from the upstream (/upstream/fhir) as the baseline. The ratio shows what forwarding and URL
/// rewriting cost; interleaving keeps a noisy shared machine from favouring either side.
/// </summary>
internal static class PassThroughBenchmark
{
    public static async Task<int> RunAsync(string configuration, int patients, int runs, int pageSize)
    {
        await using var server = await BenchServer.StartAsync(configuration, new Dictionary<string, string>
        {
            ["SampleUpstream__Patients"] = patients.ToString(),
            ["SampleUpstream__MaxPageSize"] = pageSize.ToString(),
        });
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };

        var direct = new List<double>();
        var facade = new List<double>();
        long resources = 0;
        await NaivePager.PageAllAsync(client, server.BaseUrl + "/upstream/fhir", ["Observation"], pageSize); // warm-up (JIT, connection pools)
        for (var run = 0; run < runs; run++)
        {
            (var count, var seconds) = await NaivePager.PageAllAsync(client, server.BaseUrl + "/upstream/fhir", ["Observation"], pageSize);
            direct.Add(count / seconds);
            (resources, seconds) = await NaivePager.PageAllAsync(client, server.BaseUrl + "/fhir", ["Observation"], pageSize);
            facade.Add(resources / seconds);
            if (count != resources)
            {
                Console.Error.WriteLine($"Mismatch: direct {count}, facade {resources} resources");
                return 1;
            }
        }

        var directMedian = Measurements.Median(direct);
        var facadeMedian = Measurements.Median(facade);
        Console.WriteLine($"pass-through search paging: {resources:N0} Observations, _count={pageSize}, {runs} runs, medians");
        Console.WriteLine($"| path | resources/s (median) | ratio |");
        Console.WriteLine($"|---|---:|---:|");
        Console.WriteLine($"| upstream direct (baseline) | {directMedian:N0} | 1.00 |");
        Console.WriteLine($"| through the facade | {facadeMedian:N0} | {facadeMedian / directMedian:F2} |");
        Console.WriteLine($"server peak RSS: {server.PeakRssMiB():N0} MiB");
        return 0;
    }
}
