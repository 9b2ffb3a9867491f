using System.Text.Json.Serialization;

namespace AsyncFacade.Client.Bulk;

/// <summary>One file entry of a manifest (`output`, `error` or `deleted`).</summary>
/// <param name="Type">The resource type (absent with `organizeOutputBy`).</param>
/// <param name="Url">The file (absent in $import manifests' `output`, which only count what was written).</param>
/// <param name="Count">Resources (lines) in the file, when the server says.</param>
/// <param name="InputUrl">$import: the input this entry is about.</param>
public sealed record ManifestFile(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("count")] long? Count = null,
    [property: JsonPropertyName("inputUrl")] string? InputUrl = null);
