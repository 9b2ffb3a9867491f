using static AsyncFacade.Tests.BadInput.Hostile;

namespace AsyncFacade.Tests.BadInput;

/// <summary>
/// The facade's own read-only documents (CapabilityStatement, OperationDefinition, SMART discovery), the health endpoints,
/// and hostile requests any URL can get (oversize URL and headers, unknown methods and routes).
/// </summary>
internal static class ServerCorpus
{
    private const string OperationDefinition = """{"resourceType":"OperationDefinition","id":"import","status":"draft","kind":"operation","name":"Evil","code":"import","system":true,"type":false,"instance":false}""";

    public static IEnumerable<BadRequest> Metadata() => Document("metadata", "/fhir/metadata", """{"resourceType":"CapabilityStatement"}""");

    public static IEnumerable<BadRequest> OperationDefinitions() => Document("operation-definition", "/fhir/OperationDefinition/import", OperationDefinition);

    /// <summary>With auth off there is nothing to discover: 404, and no other method either.</summary>
    public static IEnumerable<BadRequest> SmartConfiguration()
    {
        const string family = "smart-configuration";
        yield return new BadRequest($"{family} | GET with auth off", "GET", "/fhir/.well-known/smart-configuration") with { Status = 404 };
        foreach (var bad in WrongMethods(family, "/fhir/.well-known/smart-configuration", "{}"))
        {
            yield return bad;
        }
    }

    public static IEnumerable<BadRequest> Health()
    {
        const string family = "health";
        foreach (var path in new[] { "/health/live", "/health/ready" })
        {
            foreach (var method in new[] { "POST", "PUT", "PATCH", "DELETE" })
            {
                yield return new BadRequest($"{family} | {method} {path}", method, path).WithBody("{}", "application/json") with { Status = 405 };
            }
        }
        yield return new BadRequest($"{family} | unknown check", "GET", "/health/nope") with { Status = 404 };
        yield return new BadRequest($"{family} | sub-path of a check", "GET", "/health/live/extra") with { Status = 404 };
        yield return new BadRequest($"{family} | NUL in the path", "GET", "/health/live%00") with { Status = 404 };
        yield return new BadRequest($"{family} | encoded traversal", "GET", "/health/..%2Fready") with { Status = 404 };
        yield return new BadRequest($"{family} | 100 KB query", "GET", "/health/live?x=" + HundredKb) with { Status = 414 };
    }

    /// <summary>What any URL may get: answered with an OperationOutcome before routing or by the status-code pages.</summary>
    public static IEnumerable<BadRequest> AnyUrl()
    {
        const string family = "any-url";
        yield return new BadRequest($"{family} | 100 KB search parameter", "GET", "/fhir/Patient?name=" + HundredKb) with { Status = 414 };
        yield return new BadRequest($"{family} | 100 KB header", "GET", "/fhir/metadata").WithHeader("X-Big", HundredKb[..40_000]) with { Status = 431 };
        yield return new BadRequest($"{family} | 100 KB Prefer header", "GET", "/fhir/Patient").WithHeader("Prefer", "respond-async, x=" + HundredKb[..40_000]) with { Status = 431 };
        foreach (var method in new[] { "TRACE", "OPTIONS", "PROPFIND", "FOO" })
        {
            yield return new BadRequest($"{family} | {method} on a FHIR URL", method, "/fhir/Patient") with { Status = 405 };
        }
        yield return new BadRequest($"{family} | TRACE with respond-async", "TRACE", "/fhir/Patient").WithHeader("Prefer", "respond-async") with { Status = 405 };
        yield return new BadRequest($"{family} | unknown route", "GET", "/nope") with { Status = 404 };
        yield return new BadRequest($"{family} | NUL in a route", "GET", "/nope%00") with { Status = 404 };
        yield return new BadRequest($"{family} | traversal out of the FHIR base", "GET", "/fhir/..%2F..%2Fetc%2Fpasswd");
        yield return new BadRequest($"{family} | unknown resource type", "GET", "/fhir/Patientt");
        yield return new BadRequest($"{family} | invalid resource id", "GET", "/fhir/Patient/a%20b");
        yield return new BadRequest($"{family} | synchronous write of bad JSON", "PUT", "/fhir/Patient/pat-1").WithBody("{not json");
        yield return new BadRequest($"{family} | synchronous write of a mismatched id", "PUT", "/fhir/Patient/pat-1").WithBody("""{"resourceType":"Patient","id":"pat-2"}""");
    }

    /// <summary>A read-only FHIR document the facade answers itself: only GET, in JSON.</summary>
    private static IEnumerable<BadRequest> Document(string family, string path, string body)
    {
        foreach (var bad in WrongMethods(family, path, body))
        {
            yield return bad;
        }
        foreach (var accept in NonJsonAccept)
        {
            yield return new BadRequest($"{family} | Accept {accept}", "GET", path).WithHeader("Accept", accept) with { Status = 406 };
        }
        yield return new BadRequest($"{family} | 100 KB query", "GET", path + "?x=" + HundredKb) with { Status = 414 };
    }

    /// <summary>The facade owns these URLs: other methods must not be forwarded upstream (a PUT would write there) nor kicked off.</summary>
    private static IEnumerable<BadRequest> WrongMethods(string family, string path, string body)
    {
        foreach (var method in new[] { "POST", "PUT", "PATCH", "DELETE" })
        {
            var bad = new BadRequest($"{family} | {method}", method, path) with { Status = 405 };
            yield return method == "DELETE" ? bad : bad.WithBody(body);
            yield return (method == "DELETE" ? bad : bad.WithBody(body)).WithHeader("Prefer", "respond-async") with { Name = $"{family} | {method} with respond-async" };
        }
    }
}
