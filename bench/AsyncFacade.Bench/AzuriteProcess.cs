using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AsyncFacade.Bench;

/// <summary>
/// Azurite (the Azure Storage emulator, blob service) from tests/storage, as ./test.sh starts it: a free port and a
/// throwaway directory, installed with npm ci when missing.
/// </summary>
internal sealed partial class AzuriteProcess : IAsyncDisposable
{
    // Azurite's documented development account and key.
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process process;
    private readonly string directory;

    private AzuriteProcess(Process process, string directory, string blobEndpoint)
    {
        this.process = process;
        this.directory = directory;
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};BlobEndpoint={blobEndpoint}/{Account};";
    }

    public string ConnectionString { get; }

    /// <param name="inMemory">Azurite's --inMemoryPersistence: blobs in the emulator's memory, not on this machine's disk.</param>
    public static async Task<AzuriteProcess> StartAsync(bool inMemory = false)
    {
        var storage = Path.Combine(BenchServer.RepositoryRoot(), "tests", "storage");
        if (!File.Exists(Path.Combine(storage, "node_modules", ".package-lock.json")))
        {
            using var install = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"]) { WorkingDirectory = storage })!;
            await install.WaitForExitAsync();
        }
        var directory = Path.Combine(Path.GetTempPath(), "asyncfacade-bench-azurite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        // Azurite refuses --location with --inMemoryPersistence.
        string[] arguments = ["--blobHost", "127.0.0.1", "--blobPort", "0", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
            .. inMemory ? new[] { "--inMemoryPersistence" } : ["--location", directory]];
        var info = new ProcessStartInfo(Path.Combine(storage, "node_modules", ".bin", "azurite-blob"), arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info)!;
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && Listening().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(match.Groups[1].Value);
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[azurite] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var endpoint = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return new AzuriteProcess(process, directory, endpoint);
    }

    /// <summary>Peak resident set size of the emulator (Linux VmHWM), in MiB.</summary>
    public double PeakRssMiB() => BenchServer.PeakRssMiBOf(process.Id);

    /// <summary>CPU time the emulator has used so far, in seconds: on a 2-core machine it competes with the facade.</summary>
    public double CpuSeconds() => BenchServer.CpuSecondsOf(process);

    public async ValueTask DisposeAsync()
    {
        await BenchServer.StopAsync(process);
        Directory.Delete(directory, recursive: true);
    }

    [GeneratedRegex(@"successfully listens on (http://[0-9.]+:[0-9]+)")]
    private static partial Regex Listening();
}
