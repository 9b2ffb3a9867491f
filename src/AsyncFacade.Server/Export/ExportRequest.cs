namespace AsyncFacade.Server.Export;

/// <summary>
/// A validated `$export` kick-off, the same whether it came as a GET query or a POST `Parameters` body.
/// Lists are never null; an empty <see cref="Types"/> means "all types", which the caller defines.
/// </summary>
public sealed record ExportRequest(
    ExportLevel Level,
    string? GroupId,
    string OutputFormat,
    DateTimeOffset? Since,
    DateTimeOffset? Until,
    IReadOnlyList<string> Types,
    IReadOnlyList<ExportTypeFilter> TypeFilters,
    IReadOnlyList<string> Elements,
    IReadOnlyList<string> Patients,
    IReadOnlyList<string> IncludeAssociatedData,
    string? OrganizeOutputBy,
    bool AllowPartialManifests)
{
    /// <summary>
    /// `Prefer: handling=lenient`: unknown kick-off parameters were dropped, and a `_typeFilter` the upstream cannot apply is
    /// reported in the manifest's error file instead of refused. Strict (the default) refuses it at kick-off.
    /// </summary>
    public bool Lenient { get; init; }
}
