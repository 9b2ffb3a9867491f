using static AsyncFacade.Tests.BadInput.Hostile;

namespace AsyncFacade.Tests.BadInput;

/// <summary>
/// Bad `Prefer: respond-async` kick-offs of ordinary interactions (read, search, create, update, delete, batch, operation).
/// Every one must be refused before a job exists, and a refused write must never reach the upstream synchronously instead.
/// </summary>
internal static class KickOffCorpus
{
    private const string Family = "kick-off";
    private const string PatientBody = """{"resourceType":"Patient","id":"pat-1","active":false}""";
    private const string BatchBody = """{"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"DELETE","url":"Patient/pat-2"}}]}""";

    /// <summary>The interactions kicked off: (name, method, path, body).</summary>
    private static readonly (string What, string Method, string Path, string? Body)[] Interactions =
    [
        ("search", "GET", "/fhir/Patient?_count=1", null),
        ("read", "GET", "/fhir/Patient/pat-1", null),
        ("create", "POST", "/fhir/Patient", """{"resourceType":"Patient","active":true}"""),
        ("update", "PUT", "/fhir/Patient/pat-1", PatientBody),
        ("delete", "DELETE", "/fhir/Patient/pat-1", null),
        ("batch", "POST", "/fhir", BatchBody),
        ("operation", "GET", "/fhir/Patient/pat-1/$everything", null),
    ];

    public static IEnumerable<BadRequest> All()
    {
        foreach (var (interaction, method, path, body) in Interactions)
        {
            foreach (var (what, prefer) in MalformedPrefer)
            {
                yield return Case(interaction, "Prefer " + what, method, path, body).WithHeader("Prefer", prefer) with { Status = 400 };
            }
            yield return Case(interaction, "_outputFormat (manifest mode) on an interaction", method, AddQuery(path, "_outputFormat=ndjson"), body) with { Status = 400 };
        }

        var i = 0;
        foreach (var (what, url) in InternalCallbacks)
        {
            // Every target with every interaction would only repeat the policy; rotating covers both dimensions.
            var (interaction, method, path, body) = Interactions[i++ % Interactions.Length];
            yield return Case(interaction, "callback-url " + what, method, path, body).WithHeader("Prefer", $"respond-async, callback-url=\"{url}\"") with { Status = 400 };
        }

        foreach (var (interaction, method, path, _) in Interactions.Where(x => x.Body is not null))
        {
            // An empty body is no body: it is forwarded as sent (a POST operation may have none).
            foreach (var (what, body) in MalformedJson.Where(m => m.Body.Length > 0).Concat(NotAnObject))
            {
                yield return Case(interaction, "body " + what, method, path, body) with { Status = 400 };
            }
            foreach (var contentType in NonFhirContentTypes)
            {
                yield return Case(interaction, $"body as {contentType ?? "no Content-Type"}", method, path, PatientBody) with { ContentType = contentType, Status = 415 };
            }
            yield return Case(interaction, "body with invalid UTF-8", method, path, null) with
            {
                RawBody = InvalidUtf8("""{"resourceType":"Patient","name":[{"family":"A""", "\"}]}"), ContentType = FhirJson, Status = 400,
            };
        }
    }

    private static string AddQuery(string path, string query) => path + (path.Contains('?') ? "&" : "?") + query;

    private static BadRequest Case(string interaction, string what, string method, string path, string? body)
    {
        var bad = new BadRequest($"{Family} | {interaction}: {what}", method, path).WithHeader("Prefer", "respond-async");
        return body is null ? bad : bad.WithBody(body);
    }
}
