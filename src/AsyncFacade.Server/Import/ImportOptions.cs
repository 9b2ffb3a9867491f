namespace AsyncFacade.Server.Import;

public sealed class ImportOptions
{
    public const string Section = "Import";

    /// <summary>
    /// Hosts `$import` may fetch from: exact names or IP literals (trusted as listed, private ones included) or "*.domain"
    /// wildcards (sub-domains only, and only while they resolve to public addresses). Empty: only this server's own
    /// export files (and file:// under <see cref="FileDirectory"/>) can be imported.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>Per exact host name, a bearer token sent when fetching from it (pre-signed URLs need none).</summary>
    public Dictionary<string, string> BearerTokens { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The directory file:// inputs must lie in; unset: file:// inputs are refused.</summary>
    public string? FileDirectory { get; set; }

    /// <summary>Resources per Bundle written to the upstream.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Input files imported at once within one import.</summary>
    public int MaxParallelism { get; set; } = 4;

    /// <summary>`batch` (entries succeed or fail alone) or `transaction` (all or nothing; a rejected one is split to find the bad entries).</summary>
    public string BundleType { get; set; } = ImportBundleTypes.Batch;

    /// <summary>Check each line with Firely's deserializer before sending it (off: JSON, resourceType and id only).</summary>
    public bool ValidateResources { get; set; } = true;

    /// <summary>Longest NDJSON line (one resource) accepted; a longer one is reported as an error line and skipped.</summary>
    public int MaxLineBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Deadline for a source to answer with its headers (the body then streams for as long as it takes).</summary>
    public int FetchTimeoutSeconds { get; set; } = 60;
}
