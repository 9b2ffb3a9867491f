namespace AsyncFacade.Server.Export;

internal static class ExportJobs
{
    public const string Kind = "export";

    /// <summary>The kind of an export's units (internal child jobs; see <see cref="ExportUnit"/>).</summary>
    public const string UnitKind = "export-unit";

    public const string ManifestMode = "manifest";

    public static string RequestBodyKey(string jobId) => jobId + "/request";

    /// <summary>Every unit writes under its export's key, so the export's files go together.</summary>
    public static string FileKey(string jobId, string name) => $"{jobId}/files/{name}";

    public static string UnitId(string exportId, int index) => $"{exportId}-{index}";

    /// <summary>The manifest's `request`: the kick-off URL as the client sent it.</summary>
    public static string KickOffUrl(Jobs.JobRecord job) => job.BaseUrl + "/" + job.Request.Url;
}
