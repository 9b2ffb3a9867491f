using System.Buffers;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace AsyncFacade.Server.Import;

/// <summary>
/// The checks every line passes before it is sent: one JSON object, a `resourceType` equal to the declared type, a valid
/// `id` (required unless the mode can create without one) and, when Import:ValidateResources is on, Firely's POCO
/// deserializer accepting it. One Utf8JsonReader pass finds the first three; Firely reads the line again only when asked.
/// </summary>
internal sealed class ImportLineChecker(string declaredType, ImportMode mode, bool validate)
{
    private const int MaxReportedIssues = 3;

    // Stateless and thread-safe; strict settings, so what the upstream would reject is caught here with a line number.
    private static readonly FhirJsonDeserializer Deserializer = new(new DeserializerSettings());

    /// <returns>Null when the line can be sent; its id (null: create with POST) comes back in <paramref name="id"/>.</returns>
    public ImportProblem? Check(ReadOnlySequence<byte> line, out string? id)
    {
        id = null;
        string? type = null;
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 128 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new(OperationOutcome.IssueType.Structure, "the line is not a JSON object (NDJSON holds one resource per line).");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("resourceType"u8);
                var isId = !isType && reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isId && reader.TokenType != JsonTokenType.String)
                {
                    return new(OperationOutcome.IssueType.Value, "id must be a string.", declaredType + ".id");
                }
                if (isType && reader.TokenType == JsonTokenType.String)
                {
                    type = reader.GetString();
                }
                else if (isId)
                {
                    id = reader.GetString();
                }
                reader.Skip();
            }
            if (reader.Read())
            {
                return new(OperationOutcome.IssueType.Structure, "more than one JSON value on the line.");
            }
        }
        catch (JsonException e)
        {
            // The reader's message gives a position, not content: safe to put in a report.
            return new(OperationOutcome.IssueType.Structure, "not valid JSON: " + e.Message);
        }
        if (type is null)
        {
            return new(OperationOutcome.IssueType.Required, "the resource has no resourceType.", "resourceType");
        }
        if (type != declaredType)
        {
            return new(OperationOutcome.IssueType.Invalid, $"the resource is a {type}, but the input is declared as {declaredType}.", "resourceType");
        }
        if (id is null && mode != ImportMode.InitialLoad)
        {
            return new(OperationOutcome.IssueType.Required, $"the resource has no id; mode {mode} writes each resource with PUT {declaredType}/{{id}}.", declaredType + ".id");
        }
        if (id is not null && !ResourceId.IsValid(id))
        {
            return new(OperationOutcome.IssueType.Value, "id is not a valid FHIR id ([A-Za-z0-9-.]{1,64}).", declaredType + ".id");
        }
        return validate ? Validate(line) : null;
    }

    private static ImportProblem? Validate(ReadOnlySequence<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        if (Deserializer.TryDeserializeResource(ref reader, out _, out var issues))
        {
            return null;
        }
        var messages = issues.Take(MaxReportedIssues).Select(i => i.Message);
        return new(OperationOutcome.IssueType.Invalid, "not valid FHIR R4: " + string.Join(" ", messages));
    }
}
