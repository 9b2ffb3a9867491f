using System.Text.Json.Serialization;

namespace AsyncFacade.Bench;

/// <summary>The parts of a Bulk Data manifest the export benchmark checks: every file, with the line count the server claims.</summary>
internal sealed record ExportManifest(
    [property: JsonPropertyName("output")] IReadOnlyList<ExportManifestFile> Output,
    [property: JsonPropertyName("error")] IReadOnlyList<ExportManifestFile> Error);
