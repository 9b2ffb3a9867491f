namespace AsyncFacade.Server.Import;

internal static class ImportJobs
{
    public const string Kind = "import";

    public static string RequestBodyKey(string jobId) => jobId + "/request";

    /// <summary>The error report of the input at <paramref name="index"/>; under `files/` so the export file route serves it.</summary>
    public static string ErrorFileName(int index) => $"OperationOutcome-{index + 1}.ndjson";
}
