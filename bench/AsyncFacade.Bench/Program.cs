using AsyncFacade.Bench;

// Benchmarks run on demand, never in the test suite: dotnet run -c Release --project bench/AsyncFacade.Bench -- <scenario> [options]
var scenario = args.FirstOrDefault() ?? "help";
string? Text(string name)
{
    var index = Array.IndexOf(args, "--" + name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, "--" + name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
}
#if DEBUG
const string configuration = "Debug";
Console.Error.WriteLine("Warning: a Debug build measures nothing useful; use -c Release.");
#else
const string configuration = "Release";
#endif

return scenario switch
{
    "passthrough" => await PassThroughBenchmark.RunAsync(configuration, Option("patients", 2000), Option("runs", 5), Option("page-size", 1000)),
    "status" => await StatusBenchmark.RunAsync(configuration, Text("postgres"), Option("jobs", 50), Option("concurrency", 32), Option("seconds", 10)),
    "export" => await ExportBenchmark.RunAsync(configuration, Text("postgres"), Option("patients", 5000), Option("runs", 3), Option("parallelism", 4), Option("latency-ms", 0)),
    "export-storage" => await StorageExportBenchmark.RunAsync(configuration, Option("patients", 50000), Option("runs", 3), Option("parallelism", 4), Option("latency-ms", 20), Option("signed-links", 1) != 0, Option("azurite-memory", 0) != 0),
    "export-profile" => await ProfileExportBenchmark.RunAsync(configuration, Text("profile") ?? "medplum", Option("patients", 2000), Option("runs", 3), Option("parallelism", 4), Option("latency-ms", 75), Text("type") ?? "Observation"),
    "import" => await ImportBenchmark.RunAsync(configuration, Option("patients", 5000), Option("runs", 3), Option("batch-size", 500), Option("parallelism", 4), Option("validate", 1) != 0, Option("target-validate", 1) != 0, Option("latency-ms", 0)),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("""
        usage: dotnet run -c Release --project bench/AsyncFacade.Bench -- <scenario> [options]
          passthrough [--patients 2000] [--runs 5] [--page-size 1000]
              pages every Observation through the facade and directly from the upstream, interleaved; medians and ratio
          status [--jobs 50] [--concurrency 32] [--seconds 10] [--postgres "Host=…;Username=…;Database=…"]
              status-poll throughput and latency over running jobs vs /health/live; kick-off latency
          export [--patients 5000] [--runs 3] [--parallelism 4] [--latency-ms 0] [--postgres "Host=…;Username=…;Database=…"]
              system $export end to end (kick-off to last file downloaded) vs a naive client paging the same upstream, interleaved;
              --latency-ms makes every upstream request take that long, as on a real server; also how close the status's
              time-left estimates (X-Progress `~N s left`, Retry-After) came to the time really left
          export-storage [--patients 50000] [--runs 3] [--parallelism 4] [--latency-ms 20] [--signed-links 1] [--azurite-memory 0]
              the same system $export with output on the local disk and in Azure Blob Storage (Azurite, started from
              tests/storage), interleaved; downloads by signed link (--signed-links 0: through the facade); --azurite-memory 1
              keeps Azurite's blobs in its memory (no emulator disk I/O on this machine); peak RSS of each
          export-profile [--profile medplum] [--patients 2000] [--type Observation] [--runs 3] [--parallelism 4] [--latency-ms 75]
              $export of one type through a real server's quirk profile (Medplum: pages of 1,000, _offset capped at 10,000) vs one
              sequential _sort=_lastUpdated cursor pager on the same upstream, interleaved; every id checked on both sides
          import [--patients 5000] [--runs 3] [--batch-size 500] [--parallelism 4] [--validate 1] [--target-validate 1] [--latency-ms 0]
              $import of a system export's manifest into an empty upstream vs a naive one-PUT-per-resource loop, interleaved;
              --latency-ms makes every request to the target take that long, as on a real server
        """);
    return 2;
}
