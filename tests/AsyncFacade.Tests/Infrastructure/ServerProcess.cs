using System.Diagnostics;
using System.Text;

namespace AsyncFacade.Tests.Infrastructure;

/// <summary>
/// The built server run as a separate process (`dotnet AsyncFacade.Server.dll`), configured by environment
/// variables exactly as an operator would. For start-up behaviour and, later, crash/restart tests.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ServerProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static ServerProcess Start(IDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet", [RepositoryRoot.BuiltAssembly("AsyncFacade.Server", "AsyncFacade.Server.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["Storage__LocalPath"] = Path.Combine(Path.GetTempPath(), "asyncfacade-tests", Guid.NewGuid().ToString("N"));
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        return new ServerProcess(Process.Start(info)!);
    }

    /// <summary>Waits until the server logs its listening address; returns it (e.g. http://127.0.0.1:41234/).</summary>
    public async Task<Uri> WaitForListeningAsync(TimeSpan timeout)
    {
        const string marker = "Now listening on: ";
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            var line = Output.Split('\n').FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal));
            if (line is not null)
            {
                // The console logs JSON in production: the address ends at the closing quote of "Message".
                var address = line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Split('"', ' ')[0].Trim();
                return new Uri(address + "/");
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException("The server did not start listening:\n" + Output);
    }

    /// <summary>SIGKILL: no shutdown hooks, no checkpoint, like a crashed node.</summary>
    public void Kill() => process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM, as `docker stop` or Kubernetes send: the host shuts down gracefully.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the process to exit by itself; null when it is still running at the deadline.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            process.WaitForExit(); // flushes the redirected output
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
