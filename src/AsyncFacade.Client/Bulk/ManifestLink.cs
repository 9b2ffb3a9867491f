using System.Text.Json.Serialization;

namespace AsyncFacade.Client.Bulk;

/// <summary>A manifest page link (`next`).</summary>
public sealed record ManifestLink(
    [property: JsonPropertyName("relation")] string Relation,
    [property: JsonPropertyName("url")] string Url);
