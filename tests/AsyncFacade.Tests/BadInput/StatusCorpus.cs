using static AsyncFacade.Tests.BadInput.Hostile;

namespace AsyncFacade.Tests.BadInput;

/// <summary>
/// Bad requests to a job's URLs: the status URL (GET, DELETE), its `$export-poll-status` alias, the redirect-mode result.
/// `{interaction}`, `{export}` and `{unit}` are real jobs of the host (a finished read, a finished export and one of its units).
/// </summary>
internal static class StatusCorpus
{
    /// <summary>Job ids that name no job the caller can see: unknown, malformed, hostile, or a job's internal unit.</summary>
    public static readonly (string What, string Id)[] BadJobIds =
    [
        ("unknown well-formed id", "0123456789abcdef0123456789abcdef"),
        ("short unknown id", "nope"),
        ("three dots", "..."),
        ("encoded traversal", "..%2F..%2F..%2Fetc%2Fpasswd"),
        ("encoded dot segments", "%2e%2e%2f%2e%2e"),
        ("backslash traversal", "..%5C..%5Cwindows"),
        ("NUL inside", "abc%00def"),
        ("NUL only", "%00"),
        ("600 characters", new string('a', 600)),
        ("unicode", "j%C3%B6b"),
        ("right-to-left override", "%E2%80%AEjob"),
        ("markup", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
        ("SQL", "x'%3B%20drop%20table%20jobs%3B--"),
        ("SQL wildcard", "%25"),
        ("glob", "*"),
        ("space", "%20"),
        ("upper-cased real id", "{INTERACTION}"),
        ("real id with a trailing space", "{interaction}%20"),
        ("real id with a trailing dot", "{interaction}."),
        ("an export's internal unit", "{unit}"),
    ];

    public static IEnumerable<BadRequest> Status()
    {
        const string family = "status";
        foreach (var (what, id) in BadJobIds)
        {
            yield return new BadRequest($"{family} | GET {what}", "GET", $"/fhir/_async/{id}") with { Status = 404 };
            yield return new BadRequest($"{family} | DELETE {what}", "DELETE", $"/fhir/_async/{id}") with { Status = 404 };
        }
        yield return new BadRequest($"{family} | GET 9,000-character id", "GET", "/fhir/_async/" + new string('a', 9_000)) with { Status = 414 };
        foreach (var (what, prefer) in MalformedPrefer.Where(p => p.Prefer.Contains("wait", StringComparison.Ordinal) || p.What.Contains("quoted", StringComparison.Ordinal)))
        {
            yield return new BadRequest($"{family} | Prefer {what} on a finished job", "GET", "/fhir/_async/{interaction}").WithHeader("Prefer", prefer) with { Status = 400 };
            yield return new BadRequest($"{family} | Prefer {what} on an unknown job", "GET", "/fhir/_async/nope").WithHeader("Prefer", prefer) with { Status = 400 };
        }
        foreach (var page in new[] { "x", "0", "-1", "1.5", "99999999999", "", "1%00" })
        {
            yield return new BadRequest($"{family} | manifest page '{page}'", "GET", "/fhir/_async/{export}?page=" + page) with { Status = 400 };
        }
        yield return new BadRequest($"{family} | manifest page beyond the last", "GET", "/fhir/_async/{export}?page=999") with { Status = 404 };
        foreach (var method in new[] { "POST", "PUT", "PATCH" })
        {
            yield return new BadRequest($"{family} | {method} on a finished job", method, "/fhir/_async/{interaction}").WithBody("{}") with { Status = 405 };
            yield return new BadRequest($"{family} | {method} on an unknown job", method, "/fhir/_async/nope") with { Status = 405 };
            yield return new BadRequest($"{family} | {method} with respond-async", method, "/fhir/_async/{export}")
                .WithHeader("Prefer", "respond-async").WithBody("{}") with { Status = 405 };
        }
    }

    public static IEnumerable<BadRequest> PollStatus()
    {
        const string family = "export-poll-status";
        foreach (var (what, id) in BadJobIds)
        {
            yield return new BadRequest($"{family} | {what}", "GET", "/fhir/$export-poll-status?_jobId=" + id) with { Status = 404 };
        }
        yield return new BadRequest($"{family} | no _jobId", "GET", "/fhir/$export-poll-status") with { Status = 400 };
        yield return new BadRequest($"{family} | empty _jobId", "GET", "/fhir/$export-poll-status?_jobId=") with { Status = 400 };
        yield return new BadRequest($"{family} | _jobId twice", "GET", "/fhir/$export-poll-status?_jobId={export}&_jobId={interaction}");
        yield return new BadRequest($"{family} | job id under another name", "GET", "/fhir/$export-poll-status?jobId={export}") with { Status = 400 };
        yield return new BadRequest($"{family} | 100 KB _jobId", "GET", "/fhir/$export-poll-status?_jobId=" + HundredKb) with { Status = 414 };
        foreach (var (what, prefer) in MalformedPrefer)
        {
            yield return new BadRequest($"{family} | Prefer {what}", "GET", "/fhir/$export-poll-status?_jobId={export}").WithHeader("Prefer", prefer) with { Status = 400 };
        }
        foreach (var page in new[] { "x", "0", "-1", "99999999999", "1%00" })
        {
            yield return new BadRequest($"{family} | manifest page '{page}'", "GET", "/fhir/$export-poll-status?_jobId={export}&page=" + page) with { Status = 400 };
        }
        foreach (var method in new[] { "POST", "PUT", "PATCH", "DELETE" })
        {
            yield return new BadRequest($"{family} | {method}", method, "/fhir/$export-poll-status?_jobId={export}") with { Status = 405 };
            yield return new BadRequest($"{family} | {method} with respond-async", method, "/fhir/$export-poll-status?_jobId={export}")
                .WithHeader("Prefer", "respond-async").WithBody("{}") with { Status = 405 };
        }
    }

    public static IEnumerable<BadRequest> Result()
    {
        const string family = "result";
        foreach (var (what, id) in BadJobIds)
        {
            yield return new BadRequest($"{family} | {what}", "GET", $"/fhir/_async/{id}/result") with { Status = 404 };
        }
        yield return new BadRequest($"{family} | of an export (no redirect result)", "GET", "/fhir/_async/{export}/result") with { Status = 404 };
        yield return new BadRequest($"{family} | of an unknown job with a URL in the query", "GET", "/fhir/_async/nope/result?url=http%3A%2F%2F169.254.169.254%2F") with { Status = 404 };
        // Nothing else lives under _async: such paths are neither forwarded upstream nor kicked off as jobs.
        foreach (var (what, path) in new[]
                 {
                     ("sub-path", "/fhir/_async/{interaction}/result/extra"),
                     ("encoded traversal after it", "/fhir/_async/{interaction}/result%2F..%2F..%2Fmetadata"),
                     ("path parameter", "/fhir/_async/{interaction}/result;jsessionid=x"),
                     ("other word", "/fhir/_async/{interaction}/results"),
                     ("files without a name", "/fhir/_async/{export}/files"),
                     ("file with a sub-path", "/fhir/_async/{export}/files/{file}/extra"),
                     ("no job id", "/fhir/_async"),
                     ("no job id, trailing slash", "/fhir/_async/"),
                 })
        {
            yield return new BadRequest($"{family} | {what}", "GET", path) with { Status = 404 };
            yield return new BadRequest($"{family} | {what} with respond-async", "GET", path).WithHeader("Prefer", "respond-async") with { Status = 404 };
        }
        foreach (var method in new[] { "POST", "PUT", "PATCH", "DELETE" })
        {
            yield return new BadRequest($"{family} | {method} on a finished job", method, "/fhir/_async/{interaction}/result").WithBody("{}") with { Status = 405 };
            yield return new BadRequest($"{family} | {method} on an unknown job", method, "/fhir/_async/nope/result") with { Status = 405 };
            yield return new BadRequest($"{family} | {method} with respond-async", method, "/fhir/_async/{interaction}/result")
                .WithHeader("Prefer", "respond-async").WithBody("{}") with { Status = 405 };
        }
    }
}
