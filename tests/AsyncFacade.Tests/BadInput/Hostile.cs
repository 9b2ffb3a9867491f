using System.Text;

namespace AsyncFacade.Tests.BadInput;

/// <summary>The hostile values every endpoint family is fed: Prefer headers, callback targets, Accept and Content-Type values, bodies.</summary>
internal static class Hostile
{
    public const string FhirJson = "application/fhir+json";

    /// <summary>`Prefer` values a server must refuse with 400 once they ask for async: malformed, or a known preference with a bad value.</summary>
    public static readonly (string What, string Prefer)[] MalformedPrefer =
    [
        ("wait=abc", "respond-async, wait=abc"),
        ("wait=-1", "respond-async, wait=-1"),
        ("wait=1.5", "respond-async, wait=1.5"),
        ("wait overflowing int", "respond-async, wait=99999999999"),
        ("wait without a value", "respond-async, wait="),
        ("async-mode=nonsense", "respond-async, async-mode=nonsense"),
        ("async-mode without a value", "respond-async, async-mode"),
        ("async-mode=stream", "respond-async, async-mode=stream"),
        ("empty callback-url", "respond-async, callback-url="),
        ("unterminated quoted callback-url", "respond-async, callback-url=\"https://unterminated"),
        ("preference without a name", "respond-async, =value"),
        ("stray brace", "respond-async, wait=1 {"),
        ("control character", "respond-async, wait=1\u0001"),
    ];

    /// <summary>`callback-url` targets inside the operator's network or outside http(s): refused at kick-off (SSRF).</summary>
    public static readonly (string What, string Url)[] InternalCallbacks =
    [
        ("loopback", "http://127.0.0.1/cb"),
        ("loopback with port", "http://127.0.0.1:8080/hook"),
        ("cloud metadata", "http://169.254.169.254/latest/meta-data/"),
        ("IPv6 loopback", "http://[::1]/cb"),
        ("IPv4-mapped IPv6 loopback", "http://[::ffff:127.0.0.1]/cb"),
        ("10/8 private", "http://10.0.0.1/cb"),
        ("192.168/16 private", "http://192.168.1.1/cb"),
        ("172.16/12 private", "http://172.16.0.1/cb"),
        ("unspecified address", "http://0.0.0.0/cb"),
        ("loopback in decimal", "http://2130706433/cb"),
        ("loopback in hex", "http://0x7f000001/cb"),
        ("carrier-grade NAT", "http://100.64.0.1/cb"),
        ("localhost by name", "http://localhost/cb"),
        ("file scheme", "file:///etc/passwd"),
        ("gopher scheme", "gopher://127.0.0.1:6379/_INFO"),
        ("ftp scheme", "ftp://93.184.215.14/cb"),
        ("relative URL", "/fhir/cb"),
        ("credentials in the URL", "https://user:secret@93.184.215.14/cb"),
        ("over-long URL", "https://93.184.215.14/" + new string('a', 3000)),
    ];

    /// <summary>`Accept` values that allow no JSON at all.</summary>
    public static readonly string[] NonJsonAccept = ["text/html", "application/fhir+xml", "application/xml", "text/plain", "image/png"];

    /// <summary>Content types no JSON body is sent as; null sends the body without a Content-Type.</summary>
    public static readonly string?[] NonJsonContentTypes = ["text/plain", "application/xml", "application/octet-stream", "multipart/form-data; boundary=x", null];

    /// <summary>Content types that are no FHIR format at all (XML is one, for ordinary interactions).</summary>
    public static readonly string?[] NonFhirContentTypes = ["text/plain", "text/html", "application/octet-stream", "multipart/form-data; boundary=x", "image/png", null];

    /// <summary>Bodies that are not one well-formed JSON object.</summary>
    public static readonly (string What, string Body)[] MalformedJson =
    [
        ("empty body", ""),
        ("unclosed object", "{not json"),
        ("truncated", """{"resourceType":"Parameters","parameter":["""),
        ("trailing garbage", """{"resourceType":"Parameters"} x"""),
        ("two objects", """{"resourceType":"Parameters"}{"resourceType":"Parameters"}"""),
        ("comment", """{"resourceType":"Parameters" /* hi */}"""),
        ("NaN literal", """{"resourceType":"Parameters","parameter":[{"name":"x","valueDecimal":NaN}]}"""),
        ("single quotes", "{'resourceType':'Parameters'}"),
        ("nesting 10,000 deep", new string('[', 10_000) + new string(']', 10_000)),
    ];

    /// <summary>JSON that is well formed but not an object (so not a FHIR resource).</summary>
    public static readonly (string What, string Body)[] NotAnObject =
    [
        ("array", "[]"),
        ("string", "\"Parameters\""),
        ("number", "42"),
        ("null", "null"),
        ("true", "true"),
    ];

    /// <summary>Bytes that are not UTF-8 inside a JSON string.</summary>
    public static byte[] InvalidUtf8(string before, string after) =>
        [.. Encoding.UTF8.GetBytes(before), 0xFF, 0xFE, 0xC0, 0x80, .. Encoding.UTF8.GetBytes(after)];

    /// <summary>A query value long enough that the request line passes the server's 8 KB bound.</summary>
    public static readonly string HundredKb = new('A', 100 * 1024);
}
