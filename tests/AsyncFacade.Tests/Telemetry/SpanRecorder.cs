using System.Collections.Concurrent;
using System.Diagnostics;

namespace AsyncFacade.Tests.Telemetry;

/// <summary>
/// Samples every span of the "AsyncFacade" ActivitySource in this process while it lives (all hosts: tests pick theirs
/// by job id), the way the OpenTelemetry SDK subscribes.
/// </summary>
public sealed class SpanRecorder : IDisposable
{
    public const string JobIdTag = "asyncfacade.job.id";

    private readonly ActivityListener listener;
    private readonly ConcurrentQueue<Activity> stopped = new();

    public SpanRecorder()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "AsyncFacade",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public IReadOnlyList<Activity> Stopped => [.. stopped];

    /// <summary>The job-run span a line was logged under (walking up from the current span), or null outside any job.</summary>
    public static Activity? JobRunOf(Activity? activity)
    {
        for (var current = activity; current is not null; current = current.Parent)
        {
            if (current.Source.Name == "AsyncFacade" && current.OperationName == "job.run")
            {
                return current;
            }
        }
        return null;
    }

    public void Dispose() => listener.Dispose();
}
