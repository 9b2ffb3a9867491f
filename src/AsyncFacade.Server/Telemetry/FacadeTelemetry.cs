using System.Diagnostics;
using AsyncFacade.Server.Export;
using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Telemetry;

/// <summary>
/// The facade's spans: one per job run and one per export unit. The source always exists; StartActivity returns null
/// (and costs a check) unless the OpenTelemetry SDK (Telemetry:Enabled) or another listener subscribes.
/// </summary>
internal static class FacadeTelemetry
{
    /// <summary>The ActivitySource and Meter name.</summary>
    public const string Name = "AsyncFacade";

    public const string JobIdTag = "asyncfacade.job.id";

    public static readonly ActivitySource Source = new(Name);

    /// <summary>A job run is a root span: Hangfire runs it on a worker, outside the kick-off request.</summary>
    public static Activity? StartJobRun(JobRecord job, bool resumed)
    {
        var activity = Source.StartActivity(ActivityKind.Internal, parentContext: default, name: "job.run");
        if (activity is not null)
        {
            activity.DisplayName = "job " + job.Kind;
            activity.SetTag(JobIdTag, job.Id);
            activity.SetTag("asyncfacade.job.kind", job.Kind);
            activity.SetTag("asyncfacade.job.parent_id", job.ParentId);
            activity.SetTag("asyncfacade.job.resumed", resumed);
        }
        return activity;
    }

    /// <summary>An export unit's work inside its job run: which type and part it pages.</summary>
    public static Activity? StartExportUnit(ExportUnit unit)
    {
        var activity = Source.StartActivity("export.unit");
        activity?.SetTag("asyncfacade.export.type", unit.Type);
        activity?.SetTag("asyncfacade.export.part", unit.FileStem);
        return activity;
    }
}
