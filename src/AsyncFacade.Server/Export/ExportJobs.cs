namespace AsyncFacade.Server.Export;

internal static class ExportJobs
{
    public const string Kind = "export";

    public const string ManifestMode = "manifest";

    public static string RequestBodyKey(string jobId) => jobId + "/request";

    public static string FileKey(string jobId, string name) => $"{jobId}/files/{name}";
}
