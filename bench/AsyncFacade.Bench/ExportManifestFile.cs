using System.Text.Json.Serialization;

namespace AsyncFacade.Bench;

internal sealed record ExportManifestFile(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("count")] long Count);
