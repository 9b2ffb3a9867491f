using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using AsyncFacade.Client;
using AsyncFacade.Client.Bulk;
using Spectre.Console;

namespace AsyncFacade.Cli;

/// <summary>
/// Shows a job's progress: a live Spectre.Console display (the server's X-Progress, resources/s, ETA) on an interactive
/// terminal, plain lines on stderr when output is redirected, nothing with --json.
/// </summary>
internal sealed partial class ProgressView(ProgressContext? live, TextWriter? plain) : IProgress<JobProgress>, IProgress<DownloadProgress>
{
    private readonly Lock gate = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private ProgressTask? jobTask;
    private ProgressTask? downloadTask;
    private (double Seconds, long Resources)? firstSample;
    private long expectedResources;
    private double? downloadStarted;

    public void Report(JobProgress value)
    {
        var status = value.Status;
        var text = status.State switch
        {
            JobState.InProgress => status.Progress ?? "in progress",
            JobState.Throttled => "throttled (429): waiting as told",
            JobState.TransientError => "transient error: " + (status.Error ?? status.Outcome?.Issue.FirstOrDefault()?.Diagnostics ?? $"{(int?)status.StatusCode}"),
            JobState.Completed => "completed",
            _ => "failed",
        };
        var rate = Rate(status.Progress);
        var eta = EtaFromServer(status.Progress);
        var line = text + (rate is { } r ? $" · {r:N0} resources/s" : "") + (eta is { } e ? $" · ETA {e}" : "");
        lock (gate)
        {
            if (live is not null)
            {
                jobTask ??= live.AddTask("job").IsIndeterminate();
                jobTask.Description = Markup.Escape(line);
                if (status.State == JobState.Completed)
                {
                    jobTask.IsIndeterminate = false;
                    jobTask.Value = jobTask.MaxValue;
                }
            }
            else
            {
                plain?.WriteLine(value.NextPollIn > TimeSpan.Zero
                    ? $"{line} (next poll in {value.NextPollIn.TotalSeconds:0.#} s: {value.DelaySource})"
                    : line);
            }
        }
    }

    public void Report(DownloadProgress value)
    {
        var seconds = Math.Max(clock.Elapsed.TotalSeconds - (downloadStarted ?? 0), 0.001);
        var rate = value.Resources / seconds;
        var eta = expectedResources > value.Resources && rate > 0 ? TimeSpan.FromSeconds((expectedResources - value.Resources) / rate) : (TimeSpan?)null;
        var line = $"downloading: {value.FilesDone} of {value.FilesTotal} files, {value.Resources:N0} resources, {rate:N0} resources/s" +
            (eta is { } e ? $", ETA {e:hh\\:mm\\:ss}" : "");
        lock (gate)
        {
            if (live is not null)
            {
                downloadTask ??= live.AddTask("download", maxValue: Math.Max(expectedResources, 1));
                downloadTask.Description = Markup.Escape(line);
                downloadTask.Value = Math.Min(value.Resources, downloadTask.MaxValue);
            }
            else if (value.CurrentFile is null)
            {
                plain?.WriteLine(line);
            }
        }
    }

    /// <summary>Downloads begin: the manifest's counts (when given) make the ETA.</summary>
    public void StartDownloads(BulkManifest manifest)
    {
        expectedResources = manifest.Output.Sum(f => f.Count ?? 0);
        downloadStarted = clock.Elapsed.TotalSeconds;
    }

    // Resources/s from the resource counts in successive X-Progress texts ("…, 123,456 resources, …").
    private double? Rate(string? progress)
    {
        if (progress is null || ResourcesPattern().Match(progress) is not { Success: true } match ||
            !long.TryParse(match.Groups[1].Value.Replace(",", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var resources))
        {
            return null;
        }
        var now = clock.Elapsed.TotalSeconds;
        firstSample ??= (now, resources);
        var span = now - firstSample.Value.Seconds;
        return span > 0.5 ? (resources - firstSample.Value.Resources) / span : null;
    }

    private static string? EtaFromServer(string? progress) =>
        progress is not null && EtaPattern().Match(progress) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex(@"(\d[\d,]*) (?:resources|lines)")]
    private static partial Regex ResourcesPattern();

    [GeneratedRegex(@"~\s*(\d+\s*(?:s|min|h))\s+left")]
    private static partial Regex EtaPattern();
}
