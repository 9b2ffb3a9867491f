using Hl7.Fhir.Model;

namespace AsyncFacade.Client.Bulk;

/// <summary>
/// A Bulk Data `$export` kick-off with the IG's parameters. It is sent as GET with query parameters, or as POST with a
/// Parameters body when <see cref="Patients"/> is set (the IG allows `patient` only in a POST).
/// </summary>
public sealed record ExportRequest(ExportLevel Level = ExportLevel.System, string? GroupId = null)
{
    public IReadOnlyList<string> Types { get; init; } = [];

    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    /// <summary>`_typeFilter` queries, e.g. `Observation?status=final`.</summary>
    public IReadOnlyList<string> TypeFilters { get; init; } = [];

    /// <summary>`_elements`, e.g. `Patient.name` or `id`.</summary>
    public IReadOnlyList<string> Elements { get; init; } = [];

    /// <summary>`patient` references (`Patient/123`); patient and group level only.</summary>
    public IReadOnlyList<string> Patients { get; init; } = [];

    public IReadOnlyList<string> IncludeAssociatedData { get; init; } = [];

    public string OutputFormat { get; init; } = "application/fhir+ndjson";

    /// <summary>`organizeOutputBy` (e.g. `Patient`).</summary>
    public string? OrganizeOutputBy { get; init; }

    public bool AllowPartialManifests { get; init; }

    /// <summary>Extra request headers (e.g. `X-Simulate` on a reference test server).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public AsyncRequest ToAsyncRequest()
    {
        var path = Level switch
        {
            ExportLevel.System => "$export",
            ExportLevel.Patient => "Patient/$export",
            _ => $"Group/{Uri.EscapeDataString(GroupId ?? throw new ArgumentException("A group-level export needs a GroupId."))}/$export",
        };
        var parameters = Parameters().ToList();
        if (Patients.Count == 0)
        {
            var query = string.Join("&", parameters.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value)}"));
            return new AsyncRequest(HttpMethod.Get, query.Length == 0 ? path : path + "?" + query) { Headers = Headers };
        }
        var body = new Parameters();
        foreach (var (name, value) in parameters)
        {
            DataType typed = name switch
            {
                "_since" or "_until" => new Instant(DateTimeOffset.Parse(value, System.Globalization.CultureInfo.InvariantCulture)),
                "allowPartialManifests" => new FhirBoolean(true),
                "includeAssociatedData" => new Code(value),
                _ => new FhirString(value),
            };
            body.Parameter.Add(new Parameters.ParameterComponent { Name = name, Value = typed });
        }
        foreach (var patient in Patients)
        {
            body.Parameter.Add(new Parameters.ParameterComponent { Name = "patient", Value = new ResourceReference(patient) });
        }
        return new AsyncRequest(HttpMethod.Post, path) { Body = System.Text.Encoding.UTF8.GetBytes(Client.FhirJson.Serialize(body)), Headers = Headers };
    }

    private IEnumerable<(string Name, string Value)> Parameters()
    {
        yield return ("_outputFormat", OutputFormat);
        if (Types.Count > 0)
        {
            yield return ("_type", string.Join(",", Types));
        }
        if (Since is { } since)
        {
            yield return ("_since", since.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ"));
        }
        if (Until is { } until)
        {
            yield return ("_until", until.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ"));
        }
        foreach (var filter in TypeFilters)
        {
            yield return ("_typeFilter", filter);
        }
        if (Elements.Count > 0)
        {
            yield return ("_elements", string.Join(",", Elements));
        }
        if (IncludeAssociatedData.Count > 0)
        {
            yield return ("includeAssociatedData", string.Join(",", IncludeAssociatedData));
        }
        if (OrganizeOutputBy is not null)
        {
            yield return ("organizeOutputBy", OrganizeOutputBy);
        }
        if (AllowPartialManifests)
        {
            yield return ("allowPartialManifests", "true");
        }
    }
}
