using System.Text.Json;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>Writes the OperationOutcome for a <see cref="FhirError"/> (or a success note) without Firely POCOs.</summary>
internal static class OperationOutcomeWriter
{
    public static void Write(Utf8JsonWriter writer, FhirError error) => Write(writer, error.Severity, error.IssueCode, error.Diagnostics);

    public static void Write(Utf8JsonWriter writer, string severity, string code, string diagnostics)
    {
        writer.WriteStartObject();
        writer.WriteString("resourceType"u8, "OperationOutcome"u8);
        writer.WriteStartArray("issue"u8);
        writer.WriteStartObject();
        writer.WriteString("severity"u8, severity);
        writer.WriteString("code"u8, code);
        writer.WriteString("diagnostics"u8, diagnostics);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
