using System.Diagnostics.Metrics;
using System.Globalization;
using AsyncFacade.Server.Jobs;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace AsyncFacade.Server.Telemetry;

/// <summary>
/// The facade's instruments, on the Meter "AsyncFacade" from the host's IMeterFactory (so two hosts in one process keep
/// apart). They always exist; with nobody listening (Telemetry:Enabled off) a measurement is a no-op check.
/// Tags stay low-cardinality: job kind, state, resource type, retry reason; never ids.
/// </summary>
public sealed class FacadeMetrics
{
    private readonly Counter<long> jobsStarted;
    private readonly Counter<long> jobsFinished;
    private readonly Histogram<double> jobDuration;
    private readonly Counter<long> exportResources;
    private readonly Counter<long> importResources;
    private readonly Counter<long> upstreamRetries;

    public FacadeMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(FacadeTelemetry.Name);
        jobsStarted = meter.CreateCounter<long>("asyncfacade.jobs.started", "{job}", "Jobs that started their first run.");
        jobsFinished = meter.CreateCounter<long>("asyncfacade.jobs.finished", "{job}", "Jobs that completed, failed or were cancelled.");
        jobDuration = meter.CreateHistogram<double>("asyncfacade.job.duration", "s", "From a job's first run to its end, waits and resumed runs included.");
        exportResources = meter.CreateCounter<long>("asyncfacade.export.resources", "{resource}", "Resources written to export files (counted as each export unit finishes).");
        importResources = meter.CreateCounter<long>("asyncfacade.import.resources", "{resource}", "Resources the upstream accepted from imports (counted per settled batch).");
        upstreamRetries = meter.CreateCounter<long>("asyncfacade.upstream.retries", "{retry}", "Job-side upstream calls retried by the resilience pipeline.");
    }

    public void JobStarted(string kind) => jobsStarted.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void JobFinished(JobRecord job)
    {
        var kind = new KeyValuePair<string, object?>("kind", job.Kind);
        var state = new KeyValuePair<string, object?>("state", job.State.ToWire());
        jobsFinished.Add(1, kind, state);
        // A job cancelled while queued never started: it has no duration.
        if (job is { StartedAt: { } started, CompletedAt: { } completed })
        {
            jobDuration.Record((completed - started).TotalSeconds, kind, state);
        }
    }

    public void ResourcesExported(long count, string type)
    {
        if (count > 0)
        {
            exportResources.Add(count, new KeyValuePair<string, object?>("type", type));
        }
    }

    public void ResourcesImported(long count, string type)
    {
        if (count > 0)
        {
            importResources.Add(count, new KeyValuePair<string, object?>("type", type));
        }
    }

    /// <summary>Polly's OnRetry: counts the retry with why the attempt failed (a status code, "timeout" or "network").</summary>
    public ValueTask OnUpstreamRetry(OnRetryArguments<HttpResponseMessage> args)
    {
        var reason = args.Outcome switch
        {
            { Exception: TimeoutRejectedException } => "timeout",
            { Exception: not null } => "network",
            { Result: { } response } => ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture),
            _ => "unknown",
        };
        upstreamRetries.Add(1, new KeyValuePair<string, object?>("reason", reason));
        return ValueTask.CompletedTask;
    }
}
