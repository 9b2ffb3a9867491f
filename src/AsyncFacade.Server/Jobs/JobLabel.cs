using System.Text.Json;
using AsyncFacade.Server.Export;

namespace AsyncFacade.Server.Jobs;

/// <summary>
/// What a job is, in a few words people read: `$export system`, `$export Group 42`, `$import`, `GET Patient?…`,
/// `$export unit Observation`. The console shows it as the job's kind, and Hangfire's dashboard shows it (with the id) as
/// the job's name. A query string is never included: it may carry a credential, and Hangfire keeps its arguments.
/// </summary>
public static class JobLabel
{
    // Hangfire stores the label with every enqueue; a path longer than this says nothing more to a person.
    private const int MaxPathLength = 100;

    public static string Describe(JobRecord job) => job.Kind switch
    {
        ExportJobs.Kind => "$export " + ExportLevelOf(PathOf(job.Request.Url)),
        ExportJobs.UnitKind => UnitType(job) is { } type ? "$export unit " + type : "$export unit",
        Import.ImportJobs.Kind => "$import",
        Async.InteractionJobs.Kind => $"{job.Request.Method} {Shorten(PathOf(job.Request.Url))}{(job.Request.Url.Contains('?') ? "?…" : "")}",
        _ => job.Kind,
    };

    /// <summary>The Hangfire display name: the description and the job id.</summary>
    public static string Of(JobRecord job) => $"{Describe(job)} {job.Id}";

    private static string PathOf(string url) => url.Split('?', 2)[0];

    private static string ExportLevelOf(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments switch
        {
            ["Patient", ..] => "Patient",
            ["Group", var id, ..] => "Group " + Shorten(id),
            _ => "system",
        };
    }

    private static string? UnitType(JobRecord unit)
    {
        try
        {
            return unit.Checkpoint is { } checkpoint ? JsonSerializer.Deserialize<ExportUnitCheckpoint>(checkpoint)?.Unit.Type : null;
        }
        catch (JsonException)
        {
            return null; // a checkpoint from another version: the label is only for people
        }
    }

    private static string Shorten(string text) => text.Length <= MaxPathLength ? text : text[..MaxPathLength] + "…";
}
