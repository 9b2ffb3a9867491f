using static AsyncFacade.Tests.BadInput.Hostile;
using static AsyncFacade.Tests.Import.ImportCalls;

namespace AsyncFacade.Tests.BadInput;

/// <summary>
/// Bad `$import` kick-offs against a host with no `Import:AllowedHosts` and a `Import:FileDirectory`: headers, bodies of
/// both forms, and input URLs aimed at internal addresses, other schemes, or files outside the directory.
/// </summary>
internal static class ImportCorpus
{
    private const string Family = "import";
    private const string Path = "/fhir/$import";

    public static IEnumerable<BadRequest> All()
    {
        var valid = Parameters(("Patient", "{importDir}/inside.ndjson"));
        yield return Post("no Prefer header", valid).WithoutHeader("Prefer") with { Status = 400 };
        yield return Post("Prefer without respond-async", valid).WithHeader("Prefer", "handling=lenient") with { Status = 400 };
        yield return Post("async-mode=bundle conflicts with the manifest", valid).WithHeader("Prefer", "respond-async, async-mode=bundle") with { Status = 400 };
        foreach (var (what, prefer) in MalformedPrefer)
        {
            yield return Post("Prefer " + what, valid).WithHeader("Prefer", prefer) with { Status = 400 };
        }
        foreach (var (what, url) in InternalCallbacks)
        {
            yield return Post("callback-url " + what, valid).WithHeader("Prefer", $"respond-async, callback-url=\"{url}\"") with { Status = 400 };
        }
        foreach (var accept in NonJsonAccept)
        {
            yield return Post("Accept " + accept, valid).WithHeader("Accept", accept) with { Status = 406 };
        }
        foreach (var contentType in NonJsonContentTypes)
        {
            yield return Post($"as {contentType ?? "no Content-Type"}", valid, contentType) with { Status = 415 };
        }
        foreach (var (what, body) in MalformedJson.Concat(NotAnObject))
        {
            yield return Post(what, body) with { Status = 400 };
        }
        yield return Post("invalid UTF-8 in a type", null) with
        {
            RawBody = InvalidUtf8("""{"output":[{"type":"Pat""", """ient","url":"https://data.example.org/x.ndjson"}]}"""), Status = 400,
        };

        foreach (var (what, url) in InternalInputs)
        {
            yield return Post("input " + what, Parameters(("Patient", url))) with { Status = 400 };
            yield return Post("manifest output " + what, Manifest("Patient", url), "application/json") with { Status = 400 };
        }
        foreach (var (what, body) in BadBodies)
        {
            yield return Post(what, body, body.StartsWith("{\"output\"", StringComparison.Ordinal) ? "application/json" : FhirJson) with { Status = 400 };
        }
        yield return Post("10,000 inputs (over 1 MB)", Parameters([.. Enumerable.Range(0, 12_000).Select(i => ("Patient", $"https://data.example.org/{i:D40}.ndjson"))])) with { Status = 413 };

        // $import is POST only; other methods must not reach the upstream, nor become an async job of their own.
        foreach (var method in new[] { "GET", "PUT", "PATCH", "DELETE" })
        {
            var bad = new BadRequest($"{Family} | {method}", method, Path).WithHeader("Prefer", "respond-async") with { Status = 405 };
            yield return method == "GET" ? bad : bad.WithBody(valid);
            yield return new BadRequest($"{Family} | {method} without Prefer", method, Path) with { Status = 405 };
        }
    }

    /// <summary>Input URLs the SSRF policy refuses on this host (nothing listed; file:// only inside the directory).</summary>
    private static readonly (string What, string Url)[] InternalInputs =
    [
        ("at loopback", "http://127.0.0.1/x.ndjson"),
        ("at localhost", "http://localhost:8080/x.ndjson"),
        ("at cloud metadata", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"),
        ("at IPv6 loopback", "http://[::1]/x.ndjson"),
        ("at IPv4-mapped loopback", "http://[::ffff:127.0.0.1]/x.ndjson"),
        ("at 10/8", "http://10.0.0.5/x.ndjson"),
        ("at 192.168/16", "http://192.168.0.10/x.ndjson"),
        ("at 172.16/12", "https://172.16.5.4/x.ndjson"),
        ("at 0.0.0.0", "http://0.0.0.0/x.ndjson"),
        ("at loopback in decimal", "http://2130706433/x.ndjson"),
        ("at loopback in hex", "http://0x7f000001/x.ndjson"),
        ("at a public host not on the allow-list", "https://data.example.org/x.ndjson"),
        ("at a unicode host not on the allow-list", "https://b\u00fccher.example/x.ndjson"),
        ("with credentials", "https://user:secret@data.example.org/x.ndjson"),
        ("gopher scheme", "gopher://127.0.0.1:6379/_FLUSHALL"),
        ("ftp scheme", "ftp://127.0.0.1/x.ndjson"),
        ("data scheme", "data:application/fhir+ndjson,{}"),
        ("javascript scheme", "javascript:alert(1)"),
        ("file outside the directory", "file:///etc/passwd"),
        ("file with dot segments", "{importDir}/../outside.ndjson"),
        ("file with encoded dot segments", "{importDir}/%2e%2e/outside.ndjson"),
        ("file with mixed dot segments", "{importDir}/sub/%2E%2E/../../outside.ndjson"),
        ("file with NUL", "{importDir}/inside.ndjson%00.txt"),
        ("file on another host", "file://fileserver/share/x.ndjson"),
        ("file that does not exist", "{importDir}/missing.ndjson"),
        ("own export of an unknown job", "{facade}/_async/0123456789abcdef0123456789abcdef/files/Patient-1.ndjson"),
        ("own export file with traversal", "{facade}/_async/{export}/files/..%2Frequest"),
        ("own export file that does not exist", "{facade}/_async/{export}/files/Nope-1.ndjson"),
        ("own interaction job as an export", "{facade}/_async/{interaction}/files/{file}"),
        ("relative URL", "/files/x.ndjson"),
        ("bare file name", "x.ndjson"),
        ("100 KB URL", "https://data.example.org/" + HundredKb),
    ];

    private static readonly (string What, string Body)[] BadBodies =
    [
        ("Parameters without parameter", """{"resourceType":"Parameters"}"""),
        ("Parameters with no input", """{"resourceType":"Parameters","parameter":[]}"""),
        ("parameter an object", """{"resourceType":"Parameters","parameter":{}}"""),
        ("parameter item a string", """{"resourceType":"Parameters","parameter":["input"]}"""),
        ("parameter without a name", """{"resourceType":"Parameters","parameter":[{"valueCode":"x"}]}"""),
        ("a Patient", """{"resourceType":"Patient","id":"x"}"""),
        ("resourceType a number", """{"resourceType":1,"parameter":[]}"""),
        ("inputFormat text/csv", """{"resourceType":"Parameters","parameter":[{"name":"inputFormat","valueCode":"text/csv"}]}"""),
        ("inputFormat as valueInteger", """{"resourceType":"Parameters","parameter":[{"name":"inputFormat","valueInteger":1}]}"""),
        ("mode Overwrite", """{"resourceType":"Parameters","parameter":[{"name":"mode","valueCode":"Overwrite"}]}"""),
        ("mode as valueBoolean", """{"resourceType":"Parameters","parameter":[{"name":"mode","valueBoolean":true}]}"""),
        ("storageDetail aws-s3", """{"resourceType":"Parameters","parameter":[{"name":"storageDetail","part":[{"name":"type","valueCode":"aws-s3"}]}]}"""),
        ("inputSource not absolute", """{"resourceType":"Parameters","parameter":[{"name":"inputSource","valueUri":"source"}]}"""),
        ("unknown parameter", """{"resourceType":"Parameters","parameter":[{"name":"_since","valueString":"x"}]}"""),
        ("input without parts", """{"resourceType":"Parameters","parameter":[{"name":"input"}]}"""),
        ("input part not an array", """{"resourceType":"Parameters","parameter":[{"name":"input","part":{"name":"type","valueCode":"Patient"}}]}"""),
        ("input without url", """{"resourceType":"Parameters","parameter":[{"name":"input","part":[{"name":"type","valueCode":"Patient"}]}]}"""),
        ("input type as valueInteger", """{"resourceType":"Parameters","parameter":[{"name":"input","part":[{"name":"type","valueInteger":1},{"name":"url","valueUri":"https://data.example.org/x.ndjson"}]}]}"""),
        ("input url as valueBoolean", """{"resourceType":"Parameters","parameter":[{"name":"input","part":[{"name":"type","valueCode":"Patient"},{"name":"url","valueBoolean":true}]}]}"""),
        ("input with an empty url", """{"resourceType":"Parameters","parameter":[{"name":"input","part":[{"name":"type","valueCode":"Patient"},{"name":"url","valueUri":" "}]}]}"""),
        ("input of an unknown type", Parameters(("Patientt", "https://data.example.org/x.ndjson"))),
        ("input of a lower-case type", Parameters(("patient", "https://data.example.org/x.ndjson"))),
        ("input of an abstract type", Parameters(("Resource", "https://data.example.org/x.ndjson"))),
        ("input type with traversal", Parameters(("../../etc", "https://data.example.org/x.ndjson"))),
        ("Parameters nested 40 deep", """{"resourceType":"Parameters","parameter":[""" + string.Concat(Enumerable.Repeat("{\"part\":[", 20)) + string.Concat(Enumerable.Repeat("]}", 20)) + "]}"),
        ("manifest with empty output", """{"output":[]}"""),
        ("manifest output a string", """{"output":"x"}"""),
        ("manifest output without url", """{"output":[{"type":"Patient"}]}"""),
        ("manifest output type a number", """{"output":[{"type":1,"url":"https://data.example.org/x.ndjson"}]}"""),
        ("manifest output item a string", """{"output":["https://data.example.org/x.ndjson"]}"""),
        ("manifest requiring a token nobody has", """{"requiresAccessToken":true,"output":[{"type":"Patient","url":"https://data.example.org/x.ndjson"}]}"""),
        ("object that is neither form", """{"input":[{"type":"Patient","url":"https://data.example.org/x.ndjson"}]}"""),
    ];

    private static string Manifest(string type, string url) =>
        new System.Text.Json.Nodes.JsonObject
        {
            ["output"] = new System.Text.Json.Nodes.JsonArray { new System.Text.Json.Nodes.JsonObject { ["type"] = type, ["url"] = url } },
        }.ToJsonString();

    private static BadRequest Post(string what, string? body, string? contentType = FhirJson) =>
        new BadRequest($"{Family} | {what}", "POST", Path).WithHeader("Prefer", "respond-async") with { Body = body, ContentType = contentType };
}
