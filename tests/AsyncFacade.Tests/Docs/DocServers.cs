using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Docs;

/// <summary>
/// The servers the doc examples run against: the built server as its own process, started as the README's
/// `dotnet run --project src/AsyncFacade.Server` starts it (no configuration: in-memory jobs, the embedded sample
/// upstream with its data, local output in a temp directory), plus a block's <c>server KEY=VALUE</c> marker settings.
/// One server per distinct set of settings, started when a block first needs it and kept for the whole run.
/// </summary>
public sealed partial class DocServers : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, Started> servers = new(StringComparer.Ordinal);

    /// <summary>The port of the server for this example's settings, started on first use.</summary>
    public async Task<int> PortForAsync(DocExample example)
    {
        await gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (!servers.TryGetValue(example.ServerKey, out var started))
            {
                started = await StartAsync(example.Server);
                servers[example.ServerKey] = started;
            }
            return started.Port;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The last warnings and errors the servers logged (JSON lines), for a failure message.</summary>
    public string WarningsTail(int lines) =>
        string.Join('\n', servers
            .Select(s => (Name: s.Key.Length == 0 ? "default" : s.Key, Lines: s.Value.Process.Output.Split('\n').Where(l => Warning().IsMatch(l)).TakeLast(lines).ToList()))
            .Where(s => s.Lines.Count > 0)
            .Select(s => $"--- server [{s.Name}], last warnings and errors\n" + string.Join('\n', s.Lines)));

    public async ValueTask DisposeAsync()
    {
        foreach (var started in servers.Values)
        {
            await started.Process.DisposeAsync();
        }
        gate.Dispose();
    }

    /// <summary>
    /// The port is chosen before the start so that settings can name the server's own URL (<c>localhost:8080</c>,
    /// rewritten like the blocks); should another process take it in between, the start is tried again on another.
    /// </summary>
    private static async Task<Started> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var environment = settings.ToDictionary(s => s.Key, s => DocExampleRunner.Rewrite(s.Value, port));
            environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            var process = ServerProcess.Start(environment);
            try
            {
                await process.WaitForListeningAsync(TimeSpan.FromSeconds(60));
                return new Started(process, port);
            }
            catch (TimeoutException) when (attempt < 3 && process.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await process.DisposeAsync();
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("\"LogLevel\":\"(Warning|Error|Critical)\"")]
    private static partial Regex Warning();

    private sealed record Started(ServerProcess Process, int Port);
}

[CollectionDefinition(Name)]
public sealed class DocExampleCollection : ICollectionFixture<DocServers>
{
    public const string Name = "Doc examples";
}
