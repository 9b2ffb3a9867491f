using System.Text.Json.Nodes;
using static AsyncFacade.Tests.BadInput.Hostile;

namespace AsyncFacade.Tests.BadInput;

/// <summary>Bad `$export` kick-offs, the same set at each level: headers, query parameters, POST bodies, methods.</summary>
internal static class ExportCorpus
{
    public static IEnumerable<BadRequest> System() => For("export-system", "/fhir/$export", ExportLevelKind.System);

    public static IEnumerable<BadRequest> Patient() => For("export-patient", "/fhir/Patient/$export", ExportLevelKind.Patient);

    public static IEnumerable<BadRequest> Group()
    {
        const string family = "export-group";
        foreach (var bad in For(family, "/fhir/Group/grp-0/$export", ExportLevelKind.Group))
        {
            yield return bad;
        }
        // The group id is a FHIR id: anything else cannot name a group, and a group the upstream does not know is a 404.
        foreach (var (what, id, status) in new (string, string, int?)[]
                 {
                     ("unknown group", "no-such-group", 404),
                     ("group id with traversal", "..%2F..%2Fmetadata", null),
                     ("group id of three dots", "...", null),
                     ("group id with NUL", "grp-0%00", null),
                     ("group id over 64 characters", new string('g', 65), null),
                     ("group id with unicode", "gr%C3%BCppe", null),
                     ("group id with a space", "grp%200", null),
                     ("group id with a quote", "grp'0", null),
                 })
        {
            yield return BulkGet(family, what, $"/fhir/Group/{id}/$export") with { Status = status };
        }
    }

    private enum ExportLevelKind
    {
        System,
        Patient,
        Group,
    }

    private static IEnumerable<BadRequest> For(string family, string path, ExportLevelKind level)
    {
        yield return BulkGet(family, "no Prefer header", path).WithoutHeader("Prefer") with { Status = 400 };
        yield return BulkGet(family, "Prefer without respond-async", path).WithHeader("Prefer", "return=minimal") with { Status = 400 };
        yield return BulkGet(family, "async-mode=bundle conflicts with the manifest", path).WithHeader("Prefer", "respond-async, async-mode=bundle") with { Status = 400 };
        yield return BulkGet(family, "async-mode=redirect conflicts with the manifest", path).WithHeader("Prefer", "respond-async, async-mode=redirect") with { Status = 400 };
        foreach (var (what, prefer) in MalformedPrefer)
        {
            yield return BulkGet(family, "Prefer " + what, path).WithHeader("Prefer", prefer) with { Status = 400 };
        }
        foreach (var (what, url) in InternalCallbacks)
        {
            yield return BulkGet(family, "callback-url " + what, path).WithHeader("Prefer", $"respond-async, callback-url=\"{url}\"") with { Status = 400 };
        }
        foreach (var accept in NonJsonAccept)
        {
            yield return BulkGet(family, "Accept " + accept, path).WithHeader("Accept", accept) with { Status = 406 };
        }

        foreach (var (what, query, status) in BadQueries())
        {
            yield return BulkGet(family, "GET " + what, path + "?" + query) with { Status = status };
        }

        foreach (var contentType in NonJsonContentTypes)
        {
            yield return BulkPost(family, $"POST as {contentType ?? "no Content-Type"}", path, Parameters(("_type", "valueString", "Patient")), contentType) with { Status = 415 };
        }
        foreach (var (what, body) in MalformedJson.Concat(NotAnObject))
        {
            yield return BulkPost(family, "POST " + what, path, body) with { Status = 400 };
        }
        foreach (var (what, body, status) in BadBodies(level))
        {
            yield return BulkPost(family, "POST " + what, path, body) with { Status = status };
        }
        yield return BulkPost(family, "POST with invalid UTF-8 in _type", path, null) with
        {
            RawBody = InvalidUtf8("""{"resourceType":"Parameters","parameter":[{"name":"_type","valueString":"Pat""", "\"}]}"), Status = 400,
        };

        // $export is GET or POST; other methods must not reach the upstream, nor become an async job of their own.
        foreach (var method in new[] { "PUT", "PATCH", "DELETE" })
        {
            yield return new BadRequest($"{family} | {method}", method, path)
                .WithHeader("Prefer", "respond-async").WithBody(Parameters(("_type", "valueString", "Patient"))) with { Status = 405 };
            yield return new BadRequest($"{family} | {method} without Prefer", method, path) with { Status = 405 };
        }
    }

    private static IEnumerable<(string What, string Query, int? Status)> BadQueries()
    {
        yield return ("_outputFormat=text/csv", "_outputFormat=text/csv", 400);
        yield return ("empty _outputFormat", "_outputFormat=", 400);
        yield return ("_outputFormat twice", "_outputFormat=ndjson&_outputFormat=ndjson", 400);
        yield return ("unknown _type", "_type=Patientt", 400);
        yield return ("empty _type", "_type=", 400);
        yield return ("empty item in _type", "_type=Patient,,Observation", 400);
        yield return ("lower-case _type", "_type=patient", 400);
        yield return ("abstract _type", "_type=DomainResource", 400);
        yield return ("_type with traversal", "_type=..%2F..%2Fetc%2Fpasswd", 400);
        yield return ("_type with NUL", "_type=Patient%00", 400);
        yield return ("_type with unicode", "_type=P%C3%A4tient", 400);
        yield return ("_type with markup", "_type=%3Cscript%3Ealert(1)%3C%2Fscript%3E", 400);
        yield return ("_type with SQL", "_type=Patient'%3B%20drop%20table%20jobs%3B--", 400);
        yield return ("10,000 _type entries", "_type=" + string.Join(',', Enumerable.Repeat("Patient", 10_000)), 414);
        yield return ("100 KB _type", "_type=" + HundredKb, 414);
        yield return ("100 KB unknown parameter name", HundredKb + "=1", 414);
        yield return ("_since not a date", "_since=yesterday", 400);
        yield return ("_since impossible date", "_since=2020-13-45", 400);
        yield return ("_since time without zone", "_since=2020-01-01T10:00:00", 400);
        yield return ("_since five-digit year", "_since=99999-01-01", 400);
        yield return ("empty _since", "_since=", 400);
        yield return ("_since twice", "_since=2020-01-01&_since=2021-01-01", 400);
        yield return ("_until not a date", "_until=tomorrow", 400);
        yield return ("_until before _since", "_since=2024-01-01&_until=2020-01-01", 400);
        yield return ("_typeFilter without a query", "_typeFilter=Observation", 400);
        yield return ("_typeFilter of an unknown type", "_typeFilter=Patientt%3Factive%3Dtrue", 400);
        yield return ("_typeFilter without a type", "_typeFilter=%3Fstatus%3Dfinal", 400);
        yield return ("_typeFilter for a type not in _type", "_type=Patient&_typeFilter=Observation%3Fstatus%3Dfinal", 400);
        yield return ("empty _elements", "_elements=", 400);
        yield return ("_elements with a path", "_elements=Patient.name.given", 400);
        yield return ("_elements of an unknown type", "_elements=Patientt.name", 400);
        yield return ("_elements starting with a digit", "_elements=1name", 400);
        yield return ("_elements with NUL", "_elements=name%00", 400);
        yield return ("patient in a GET", "patient=Patient%2Fpat-1", 400);
        yield return ("empty includeAssociatedData", "includeAssociatedData=", 400);
        yield return ("organizeOutputBy=Encounter", "organizeOutputBy=Encounter", 400);
        yield return ("organizeOutputBy not a type", "organizeOutputBy=Bogus", 400);
        yield return ("organizeOutputBy with _since", "organizeOutputBy=Patient&_since=2020-01-01", 400);
        yield return ("organizeOutputBy with _elements", "organizeOutputBy=Patient&_elements=id", 400);
        yield return ("allowPartialManifests=yes", "allowPartialManifests=yes", 400);
        yield return ("allowPartialManifests=TRUE", "allowPartialManifests=TRUE", 400);
        yield return ("allowPartialManifests twice", "allowPartialManifests=true&allowPartialManifests=false", 400);
        yield return ("unknown parameter", "foo=bar", 400);
        yield return ("_count (a search parameter)", "_count=10", 400);
        yield return ("parameter name with NUL", "%00=1", 400);
        yield return ("upper-case parameter name", "_TYPE=Patient", 400);
        yield return ("bracketed parameter name", "_type[]=Patient", 400);
        yield return ("parameter without a value", "_type=Patient&flag", 400);
        yield return ("prototype pollution name", "__proto__=1", 400);
    }

    private static IEnumerable<(string What, string Body, int? Status)> BadBodies(ExportLevelKind level)
    {
        yield return ("empty object", "{}", 400);
        yield return ("a Patient", """{"resourceType":"Patient","id":"x"}""", 400);
        yield return ("lower-case resourceType", """{"resourceType":"parameters"}""", 400);
        yield return ("resourceType a number", """{"resourceType":1}""", 400);
        yield return ("parameter an object", """{"resourceType":"Parameters","parameter":{}}""", 400);
        yield return ("parameter a string", """{"resourceType":"Parameters","parameter":"_type"}""", 400);
        yield return ("parameter item a number", """{"resourceType":"Parameters","parameter":[1]}""", 400);
        yield return ("parameter name a number", """{"resourceType":"Parameters","parameter":[{"name":1,"valueString":"Patient"}]}""", 400);
        yield return ("parameter without a name", """{"resourceType":"Parameters","parameter":[{"valueString":"Patient"}]}""", 400);
        yield return ("_type without a value", Parameters(("_type", null, null)), 400);
        yield return ("_type as valueInteger", Parameters(("_type", "valueInteger", 1)), 400);
        yield return ("_type as a JSON number", Parameters(("_type", "valueString", 5)), 400);
        yield return ("_type as part", """{"resourceType":"Parameters","parameter":[{"name":"_type","part":[]}]}""", 400);
        yield return ("_type with two values", """{"resourceType":"Parameters","parameter":[{"name":"_type","valueString":"Patient","valueCode":"Patient"}]}""", 400);
        yield return ("unknown _type", Parameters(("_type", "valueString", "Patientt")), 400);
        yield return ("_since as valueBoolean", Parameters(("_since", "valueBoolean", true)), 400);
        yield return ("_since not an instant", Parameters(("_since", "valueInstant", "yesterday")), 400);
        yield return ("_outputFormat as valueInteger", Parameters(("_outputFormat", "valueInteger", 1)), 400);
        yield return ("_outputFormat text/csv", Parameters(("_outputFormat", "valueString", "text/csv")), 400);
        yield return ("allowPartialManifests as valueString", Parameters(("allowPartialManifests", "valueString", "true")), 400);
        yield return ("patient as valueString", Parameters(("patient", "valueString", "Patient/pat-1")), 400);
        yield return ("patient reference to an Observation", Parameters(("patient", "valueReference", new JsonObject { ["reference"] = "Observation/1" })), 400);
        yield return ("patient reference with traversal", Parameters(("patient", "valueReference", new JsonObject { ["reference"] = "Patient/../../metadata" })), 400);
        yield return ("patient reference without reference", Parameters(("patient", "valueReference", new JsonObject { ["display"] = "x" })), 400);
        yield return ("unknown parameter", Parameters(("foo", "valueString", "bar")), 400);
        yield return ("100 KB _type value", Parameters(("_type", "valueString", HundredKb)), 400);
        yield return ("10,000 distinct unknown _type entries", Parameters([.. Enumerable.Range(0, 10_000).Select(i => ("_type", (string?)"valueString", (JsonNode?)$"Type{i}"))]), 400);
        yield return ("body over 1 MB", Parameters(("_type", "valueString", new string('P', 1_100_000))), 413);
        if (level == ExportLevelKind.System)
        {
            yield return ("patient at system level", Parameters(("patient", "valueReference", new JsonObject { ["reference"] = "Patient/pat-1" })), 400);
        }
    }

    public static BadRequest BulkGet(string family, string what, string path) =>
        new BadRequest($"{family} | {what}", "GET", path).WithHeader("Prefer", "respond-async").WithHeader("Accept", FhirJson);

    private static BadRequest BulkPost(string family, string what, string path, string? body, string? contentType = FhirJson) =>
        new BadRequest($"{family} | {what}", "POST", path).WithHeader("Prefer", "respond-async").WithHeader("Accept", FhirJson) with
        {
            Body = body, ContentType = contentType,
        };

    /// <summary>A Parameters body; a null kind leaves the value out, a JSON node value is written as it is.</summary>
    public static string Parameters(params (string Name, string? Kind, JsonNode? Value)[] parameters)
    {
        var list = new JsonArray();
        foreach (var (name, kind, value) in parameters)
        {
            var parameter = new JsonObject { ["name"] = name };
            if (kind is not null)
            {
                parameter[kind] = value?.DeepClone();
            }
            list.Add(parameter);
        }
        return new JsonObject { ["resourceType"] = "Parameters", ["parameter"] = list }.ToJsonString();
    }
}
