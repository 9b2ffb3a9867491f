using System.Text;

namespace AsyncFacade.Tests.BadInput;

/// <summary>What a refused request must be answered with: FHIR's OperationOutcome, or OAuth's error body on the token endpoint.</summary>
public enum RefusalBody
{
    OperationOutcome,

    /// <summary>RFC 6749 §5.2 `{"error","error_description"}`: the token endpoint speaks OAuth, not FHIR.</summary>
    OAuthError,

    /// <summary>
    /// Kestrel's own 400, with no body: it refuses a path that decodes to a NUL while parsing the request line, before
    /// any application code runs, and offers no hook to write a body. The status is still checked, and that nothing changed.
    /// </summary>
    KestrelBare,
}

/// <summary>
/// One malformed or hostile request of the corpus. Text may hold placeholders (`{export}`, `{file}`, `{rsaToken}`…) that the
/// host fills in with what only exists at run time (see <see cref="BadInputFacade.Resolve"/>).
/// </summary>
public sealed record BadRequest(string Name, string Method, string Path)
{
    /// <summary>The status the protocol asks for; null when any 4xx is right (e.g. 400 from us or 404 from the upstream).</summary>
    public int? Status { get; init; }

    public string? Body { get; init; }

    /// <summary>Bytes sent as they are (invalid UTF-8, huge bodies built once); wins over <see cref="Body"/>.</summary>
    public byte[]? RawBody { get; init; }

    /// <summary>The body's Content-Type; null sends the body without one.</summary>
    public string? ContentType { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public RefusalBody Refusal { get; init; } = RefusalBody.OperationOutcome;

    public BadRequest WithHeader(string name, string value) => this with { Headers = [.. Headers.Where(h => h.Key != name), new(name, value)] };

    public BadRequest WithoutHeader(string name) => this with { Headers = [.. Headers.Where(h => h.Key != name)] };

    public BadRequest WithBody(string body, string? contentType = "application/fhir+json") => this with { Body = body, ContentType = contentType };

    public HttpRequestMessage ToRequest(Func<string, string> resolve)
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), resolve(Path));
        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, resolve(value));
        }
        if (RawBody is not null || Body is not null)
        {
            request.Content = new ByteArrayContent(RawBody ?? Encoding.UTF8.GetBytes(resolve(Body!)));
            if (ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }
        return request;
    }

    public override string ToString() => Name;
}
