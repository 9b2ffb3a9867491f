namespace AsyncFacade.Tests.BadInput;

/// <summary>
/// Bad export file downloads (`/fhir/_async/{id}/files/{name}`): file names that try to leave the job's directory or reach
/// what is not a finished output file, real names under the wrong job, other methods, unsatisfiable ranges.
/// </summary>
internal static class FileCorpus
{
    private const string Family = "files";

    /// <summary>Names tried under the real export `{export}`, whose real file is `{file}`.</summary>
    private static readonly (string What, string Name)[] BadNames =
    [
        ("encoded traversal to /etc/passwd", "..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd"),
        ("encoded traversal to the stored request", "..%2Frequest"),
        ("encoded dot segments", "%2E%2E%2Frequest"),
        ("double-encoded traversal", "%252e%252e%252frequest"),
        ("backslash traversal", "..%5C..%5Cwindows%5Cwin.ini"),
        ("doubled-up traversal", "....%2F%2F....%2F%2Fetc%2Fpasswd"),
        ("absolute path", "%2Fetc%2Fpasswd"),
        ("home directory", "~%2F.ssh%2Fid_rsa"),
        ("NUL before an extension", "{file}%00.txt"),
        ("NUL after the name", "{file}%00"),
        ("NUL only", "%00"),
        ("the stored request", "request"),
        ("the half-written file", "{file}.partial"),
        ("only an extension", ".ndjson"),
        ("dots and an extension", "..ndjson"),
        ("three dots", "..."),
        ("upper-cased extension", "{FILE}"),
        ("trailing space", "{file}%20"),
        ("trailing encoded slash", "{file}%2F"),
        ("NTFS stream", "{file}::$DATA"),
        ("unknown file", "Patient-999.ndjson"),
        ("600-character name", new string('x', 600) + ".ndjson"),
        ("unicode name", "P%C3%A4tient-1.ndjson"),
        ("right-to-left override", "%E2%80%AEnosjdn.ndjson"),
        ("glob", "*.ndjson"),
        ("percent", "%25.ndjson"),
        ("semicolon", "a%3Bb.ndjson"),
        ("markup", "%3Cimg%20src%3Dx%3E.ndjson"),
    ];

    public static IEnumerable<BadRequest> All()
    {
        foreach (var (what, name) in BadNames)
        {
            yield return Get(what, "{export}", name) with { Status = 404 };
        }
        foreach (var (what, id) in StatusCorpus.BadJobIds)
        {
            yield return Get("real name under job id: " + what, id, "{file}") with { Status = 404 };
        }
        yield return Get("real name under the read job", "{interaction}", "{file}") with { Status = 404 };
        yield return Get("real name under the export's unit", "{unit}", "{file}") with { Status = 404 };
        yield return Get("unsatisfiable range", "{export}", "{file}").WithHeader("Range", "bytes=99999999-") with { Status = 416 };
        yield return Get("9,000-character name", "{export}", new string('x', 9_000)) with { Status = 414 };

        // Files are read-only: other methods must not reach the upstream, nor become an async job of their own.
        foreach (var method in new[] { "POST", "PUT", "PATCH", "DELETE" })
        {
            yield return Get(method, "{export}", "{file}") with { Method = method, Status = 405 };
            yield return Get($"{method} with respond-async", "{export}", "{file}").WithHeader("Prefer", "respond-async").WithBody("{}") with { Method = method, Status = 405 };
        }
    }

    private static BadRequest Get(string what, string id, string name) => new($"{Family} | {what}", "GET", $"/fhir/_async/{id}/files/{name}");
}
