using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;

namespace AsyncFacade.Client.Bulk;

/// <summary>
/// A bulk `$import` kick-off (POST `$import`). Two bodies exist in the wild: a Parameters resource with one `input` per
/// NDJSON file (the HL7 draft, Microsoft's server), or a Bulk Data manifest fed straight in (ping-and-pull).
/// </summary>
public sealed record ImportRequest
{
    private ImportRequest(ReadOnlyMemory<byte> body, string contentType)
    {
        Body = body;
        ContentType = contentType;
    }

    public ReadOnlyMemory<byte> Body { get; }

    public string ContentType { get; }

    /// <summary>Extra request headers (e.g. `X-Simulate` on a reference test server).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>A Parameters body: one `input` per (type, url); `mode` IncrementalLoad or InitialLoad.</summary>
    public static ImportRequest FromInputs(IEnumerable<(string Type, Uri Url)> inputs, string inputFormat = "application/fhir+ndjson", string? mode = null)
    {
        var parameters = new Parameters();
        parameters.Add("inputFormat", new Code(inputFormat));
        if (mode is not null)
        {
            parameters.Add("mode", new Code(mode));
        }
        foreach (var (type, url) in inputs)
        {
            parameters.Parameter.Add(new Parameters.ParameterComponent
            {
                Name = "input",
                Part = [new() { Name = "type", Value = new Code(type) }, new() { Name = "url", Value = new FhirUri(url.ToString()) }],
            });
        }
        return new ImportRequest(Encoding.UTF8.GetBytes(Client.FhirJson.Serialize(parameters)), "application/fhir+json");
    }

    /// <summary>A Bulk Data manifest (its `output[]` are the inputs), as the exporting server wrote it.</summary>
    public static ImportRequest FromManifest(ReadOnlyMemory<byte> manifestJson)
    {
        using var document = JsonDocument.Parse(manifestJson);
        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("output", out _))
        {
            throw new ArgumentException("A Bulk Data manifest is a JSON object with an `output` array.", nameof(manifestJson));
        }
        return new ImportRequest(manifestJson, "application/json");
    }

    public AsyncRequest ToAsyncRequest() => new(HttpMethod.Post, "$import") { Body = Body, ContentType = ContentType, Headers = Headers };
}
