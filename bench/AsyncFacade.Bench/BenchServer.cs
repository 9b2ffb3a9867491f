using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AsyncFacade.Bench;

/// <summary>The real server, started as its own process (as in production), so its memory and CPU can be read apart.</summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly Process process;

    private BenchServer(Process process, string baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <param name="port">A fixed port, so a server can be restarted where another one expects it; default: a free one.</param>
    public static async Task<BenchServer> StartAsync(string configuration, IDictionary<string, string> settings, int? port = null)
    {
        port ??= FreePort();
        var dll = Path.Combine(RepositoryRoot(), "src", "AsyncFacade.Server", "bin", configuration, "net10.0", "AsyncFacade.Server.dll");
        var info = new ProcessStartInfo("dotnet", [dll]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Storage__LocalPath"] = Path.Combine(Path.GetTempPath(), "asyncfacade-bench", Guid.NewGuid().ToString("N"));
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }
        var process = Process.Start(info)!;
        // The console logs JSON when redirected: errors are shown, the rest (warnings of a loaded machine) is not.
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && (line.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || line.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal)))
            {
                Console.Error.WriteLine("[server] " + line);
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[server] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new BenchServer(process, $"http://127.0.0.1:{port}");
        using var client = new HttpClient();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var ready = await client.GetAsync(server.BaseUrl + "/health/ready");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {process.ExitCode} during start-up.");
            }
            await Task.Delay(200);
        }
        await server.DisposeAsync();
        throw new TimeoutException("The server did not become ready within 60 s.");
    }

    /// <summary>Peak resident set size of the server process so far (Linux VmHWM), in MiB.</summary>
    public double PeakRssMiB() => PeakRssMiBOf(process.Id);

    public static double PeakRssMiBOf(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
            }
        }
        return double.NaN;
    }

    /// <summary>CPU time the server process has used so far (user + system), in seconds.</summary>
    public double CpuSeconds() => CpuSecondsOf(process);

    public static double CpuSecondsOf(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime.TotalSeconds;
    }

    public ValueTask DisposeAsync() => StopAsync(process);

    /// <summary>Kills a process the bench started (and its children), waits for it and releases it.</summary>
    public static async ValueTask StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AsyncFacade.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Run the bench from inside the repository.");
    }
}
