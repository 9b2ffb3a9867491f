namespace AsyncFacade.Server.Export;

/// <summary>What a finished export wrote, stored as the job's result; the manifest is rendered from it.</summary>
/// <param name="Pages">With `allowPartialManifests`: how many output files each manifest page lists, in order (a last page adds errors and deleted).</param>
/// <param name="OrganizedBy">`organizeOutputBy`: the files hold resource blocks headed by this type, not one type each.</param>
public sealed record ExportResult(DateTimeOffset TransactionTime, string Request, IReadOnlyList<ExportFile> Output, IReadOnlyList<ExportFile> Errors,
    IReadOnlyList<ExportFile>? Deleted = null, IReadOnlyList<int>? Pages = null, string? OrganizedBy = null);

/// <summary>One NDJSON file: its resource type, its name under the job (`Patient-1.ndjson`), its line count and size.</summary>
public sealed record ExportFile(string Type, string Name, long Count, long Bytes = 0);
