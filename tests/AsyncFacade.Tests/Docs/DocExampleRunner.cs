using System.Diagnostics;
using System.Globalization;
using System.Text;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Docs;

/// <summary>
/// Runs the shell examples of one page as a user who pastes them, in order, into one terminal would: one
/// <c>bash -euo pipefail</c> process, so variables and files carry over from block to block.
/// <list type="bullet">
/// <item>Every <c>localhost:8080</c> in a block (and in its <c>server</c> settings) becomes <c>127.0.0.1:{port}</c> of the
/// server the block runs against (<see cref="DocServers"/>).</item>
/// <item>The working directory is a fresh empty temp directory per page, not the repository: the examples are for
/// users, who run them anywhere. An example that needs the repository's files (<c>dotnet run --project …</c>,
/// <c>./test.sh</c>) must be marked <c>skip</c>.</item>
/// <item><c>curl</c> is a shim over the real one that adds <c>--fail-with-body</c> (an answer of 400 or more fails the
/// block, even behind <c>-o /dev/null</c>, unless the block allows HTTP errors), refuses the URL <c>null</c> (a
/// <c>jq -r</c> of a missing field) and logs every failure, so that one masked by <c>|| true</c> or a command
/// substitution still fails the block. <c>fhir-async</c> runs the CLI built next to these tests.</item>
/// <item>A page that runs longer than its deadline is killed with everything it started.</item>
/// </list>
/// </summary>
public sealed class DocExampleRunner(DocServers servers)
{
    public static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(120);

    public static string Rewrite(string text, int port) =>
        text.Replace("localhost:8080", "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public async Task<DocRun> RunAsync(IReadOnlyList<DocExample> examples, TimeSpan timeout)
    {
        var run = examples.Where(e => e.SkipReason is null).ToList();
        if (run.Count == 0)
        {
            return new DocRun(null, "");
        }

        var root = Directory.CreateTempSubdirectory("asyncfacade-docs-");
        try
        {
            var work = root.CreateSubdirectory("work").FullName;
            var state = root.CreateSubdirectory("state").FullName;
            var bin = root.CreateSubdirectory("bin").FullName;
            DocShims.Write(bin);
            var script = await DocScript.BuildAsync(run, servers);
            var scriptPath = Path.Combine(root.FullName, "examples.sh");
            await File.WriteAllTextAsync(scriptPath, script.Text, TestContext.Current.CancellationToken);

            var (exit, output) = await RunBashAsync(scriptPath, work, bin, state, timeout);
            var failure = exit == 0 && File.Exists(Path.Combine(state, "done"))
                ? null
                : Describe(run, script, state, exit, output, timeout);
            return new DocRun(failure, output);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    /// <summary>Runs the script in a session of its own, so that a deadline can kill all it started (null: killed).</summary>
    private static async Task<(int? Exit, string Output)> RunBashAsync(string script, string work, string bin, string state, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("setsid", ["bash", "-euo", "pipefail", script])
        {
            WorkingDirectory = work,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        info.Environment["DOCS_EXAMPLE_STATE"] = state;
        info.Environment.Remove("DOCS_EXAMPLE_HTTP_ERRORS");

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        DataReceivedEventHandler append = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.Start();
        process.StandardInput.Close(); // a command that reads stdin gets end-of-file, not a hang
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        int? exit = null;
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            exit = process.ExitCode;
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await KillSessionAsync(process);
        }
        lock (output)
        {
            return (exit, output.ToString());
        }
    }

    /// <summary>setsid made the script a session and process group leader: its id kills what it left behind too.</summary>
    private static async Task KillSessionAsync(Process process)
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-KILL", "--", "-" + process.Id.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true, // "no such process" once everything has exited
        })!)
        {
            await kill.WaitForExitAsync(CancellationToken.None);
        }
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync(CancellationToken.None);
    }

    private string Describe(List<DocExample> run, DocScript script, string state, int? exit, string output, TimeSpan timeout)
    {
        var block = ReadState(state, "block") is { } line ? run.First(e => e.Line == int.Parse(line, CultureInfo.InvariantCulture)) : run[0];
        var message = new StringBuilder();
        if (exit is null)
        {
            message.Append(CultureInfo.InvariantCulture, $"{block.Location}: ")
                .Append(File.Exists(Path.Combine(state, "done"))
                    ? "the page finished, but something it started in the background still held its output"
                    : $"the example was still running after {timeout.TotalSeconds:0} s and was killed");
        }
        else
        {
            message.Append(CultureInfo.InvariantCulture, $"{block.Location}: the example failed (exit {exit})");
            if (ReadState(state, "failed") is { } failed && script.SourceOf(int.Parse(failed.Split('\t')[0], CultureInfo.InvariantCulture)) is { } source)
            {
                message.Append(CultureInfo.InvariantCulture, $" at line {source.Line}: {source.Text}");
            }
            else if (exit == 0)
            {
                message.Append(": it ended the shell before the page's last example (exit?)");
            }
        }
        if (ReadState(state, "curl-failures") is { } curl)
        {
            message.Append("\ncurl failed:\n").Append(curl.TrimEnd());
        }
        message.Append("\n--- output (last 40 lines)\n").AppendJoin('\n', output.TrimEnd().Split('\n').TakeLast(40));
        message.Append('\n').Append(servers.WarningsTail(10));
        return message.ToString();
    }

    private static string? ReadState(string state, string name) =>
        File.Exists(Path.Combine(state, name)) ? File.ReadAllText(Path.Combine(state, name)).Trim() : null;
}

/// <param name="Failure">Null when every example ran; otherwise which one failed, where, and the output's tail.</param>
public sealed record DocRun(string? Failure, string Output);
