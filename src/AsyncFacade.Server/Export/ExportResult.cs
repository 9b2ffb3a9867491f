namespace AsyncFacade.Server.Export;

/// <summary>What a finished export wrote, stored as the job's result; the manifest is rendered from it.</summary>
/// <param name="Pages">With `allowPartialManifests`: how many output files each manifest page lists, in order (a last page adds errors and deleted).</param>
/// <param name="OrganizedBy">`organizeOutputBy`: the files hold resource blocks headed by this type, not one type each.</param>
/// <param name="Missing">Resources the upstream counts that could not be exported (`incomplete` lines in the error file).</param>
public sealed record ExportResult(DateTimeOffset TransactionTime, string Request, IReadOnlyList<ExportFile> Output, IReadOnlyList<ExportFile> Errors,
    IReadOnlyList<ExportFile>? Deleted = null, IReadOnlyList<int>? Pages = null, string? OrganizedBy = null, long Missing = 0);

/// <summary>One NDJSON file: its resource type, its name under the job (`Patient-1.ndjson`), its line count and size.</summary>
public sealed record ExportFile(string Type, string Name, long Count, long Bytes = 0);
