using System.Text.Json.Serialization;

namespace AsyncFacade.Client.Bulk;

/// <summary>A Bulk Data manifest ($export, and $import on servers that answer with one). Plain JSON, not a FHIR resource.</summary>
public sealed record BulkManifest
{
    [JsonPropertyName("transactionTime")]
    public string? TransactionTime { get; init; }

    [JsonPropertyName("request")]
    public string? Request { get; init; }

    [JsonPropertyName("requiresAccessToken")]
    public bool RequiresAccessToken { get; init; }

    [JsonPropertyName("outputOrganizedBy")]
    public string? OutputOrganizedBy { get; init; }

    [JsonPropertyName("output")]
    public IReadOnlyList<ManifestFile> Output { get; init; } = [];

    /// <summary>NDJSON files of OperationOutcomes about resources or types that could not be exported.</summary>
    [JsonPropertyName("error")]
    public IReadOnlyList<ManifestFile> Error { get; init; } = [];

    [JsonPropertyName("deleted")]
    public IReadOnlyList<ManifestFile> Deleted { get; init; } = [];

    /// <summary>Partial manifests (`allowPartialManifests`): `next` points at the following page.</summary>
    [JsonPropertyName("link")]
    public IReadOnlyList<ManifestLink> Link { get; init; } = [];

    [JsonIgnore]
    public string? NextPage => Link.FirstOrDefault(l => l.Relation == "next")?.Url;

    /// <summary>This page followed by <paramref name="next"/>: files of every page, the next page's links.</summary>
    public BulkManifest Append(BulkManifest next) => this with
    {
        Output = [.. Output, .. next.Output],
        Error = [.. Error, .. next.Error],
        Deleted = [.. Deleted, .. next.Deleted],
        Link = next.Link,
        RequiresAccessToken = RequiresAccessToken || next.RequiresAccessToken,
    };
}
