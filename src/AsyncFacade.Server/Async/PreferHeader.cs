using System.Text;
using AsyncFacade.Server.Fhir;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Primitives;

namespace AsyncFacade.Server.Async;

/// <summary>
/// The `Prefer` request header (RFC 7240): several headers or comma-separated lists, case-insensitive names,
/// token or quoted-string values, `;` parameters ignored, the first occurrence of a preference wins, unknown
/// preferences are kept (to forward upstream) but otherwise ignored.
/// </summary>
public sealed record PreferHeader(bool RespondAsync, int? Wait, string? AsyncMode, string? CallbackUrl, IReadOnlyList<string> Others)
{
    public const string Bundle = "bundle";
    public const string Redirect = "redirect";

    public static readonly PreferHeader None = new(false, null, null, null, []);

    /// <summary>The request's preferences, or null and a 400 OperationOutcome saying what is malformed.</summary>
    public static PreferHeader? FromRequest(HttpRequest request, out IResult? badRequest)
    {
        try
        {
            badRequest = null;
            return Parse(request.Headers["Prefer"]);
        }
        catch (FormatException ex)
        {
            badRequest = FhirResults.Error(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, ex.Message);
            return null;
        }
    }

    /// <exception cref="FormatException">The header is malformed or a known preference has an invalid value; the message says which.</exception>
    public static PreferHeader Parse(StringValues headers)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        bool respondAsync = false;
        int? wait = null;
        string? asyncMode = null, callbackUrl = null;
        var others = new List<string>();
        foreach (var header in headers)
        {
            foreach (var (name, value, raw) in Preferences(header ?? ""))
            {
                if (!seen.Add(name))
                {
                    continue;
                }
                switch (name.ToLowerInvariant())
                {
                    case "respond-async":
                        respondAsync = true;
                        break;
                    case "wait":
                        wait = int.TryParse(value, out var seconds) && seconds >= 0
                            ? seconds
                            : throw new FormatException($"Prefer: wait must be a whole number of seconds, got '{value}'.");
                        break;
                    case "async-mode":
                        asyncMode = value?.ToLowerInvariant() is Bundle or Redirect
                            ? value.ToLowerInvariant()
                            : throw new FormatException($"Prefer: async-mode must be '{Bundle}' or '{Redirect}', got '{value}'.");
                        break;
                    case "callback-url":
                        callbackUrl = string.IsNullOrEmpty(value) ? throw new FormatException("Prefer: callback-url needs a URL.") : value;
                        break;
                    default:
                        others.Add(raw);
                        break;
                }
            }
        }
        return new PreferHeader(respondAsync, wait, asyncMode, callbackUrl, others);
    }

    private static IEnumerable<(string Name, string? Value, string Raw)> Preferences(string header)
    {
        var position = 0;
        while (position < header.Length)
        {
            var start = position;
            var (name, value) = ReadPreference(header, ref position);
            var raw = header[start..position].Trim().TrimEnd(',').Trim();
            if (name.Length > 0)
            {
                yield return (name, value, raw);
            }
        }
    }

    /// <summary>Reads `name [= value] *(; parameter)` up to and including the next top-level comma.</summary>
    private static (string Name, string? Value) ReadPreference(string header, ref int position)
    {
        SkipSpace(header, ref position);
        var name = ReadToken(header, ref position);
        SkipSpace(header, ref position);
        string? value = null;
        if (position < header.Length && header[position] == '=')
        {
            position++;
            SkipSpace(header, ref position);
            value = position < header.Length && header[position] == '"' ? ReadQuoted(header, ref position) : ReadToken(header, ref position);
            SkipSpace(header, ref position);
        }
        // Parameters (`; foo=bar`) carry nothing we use: skip them, honouring quotes.
        while (position < header.Length && header[position] != ',')
        {
            if (header[position] == '"')
            {
                ReadQuoted(header, ref position);
            }
            else if (header[position] is ';' or ' ' or '\t' or '=' || IsTokenChar(header[position]))
            {
                position++;
            }
            else
            {
                throw new FormatException($"Prefer header has an unexpected character '{header[position]}' at position {position}.");
            }
        }
        if (name.Length == 0 && (value is not null || (position < header.Length && header[position] != ',')))
        {
            throw new FormatException("Prefer header has a preference without a name.");
        }
        if (position < header.Length)
        {
            position++; // the comma
        }
        return (name, value);
    }

    private static string ReadToken(string header, ref int position)
    {
        var start = position;
        while (position < header.Length && IsTokenChar(header[position]))
        {
            position++;
        }
        return header[start..position];
    }

    private static string ReadQuoted(string header, ref int position)
    {
        var value = new StringBuilder();
        position++; // opening quote
        while (position < header.Length)
        {
            var c = header[position++];
            if (c == '"')
            {
                return value.ToString();
            }
            if (c == '\\' && position < header.Length)
            {
                c = header[position++];
            }
            value.Append(c);
        }
        throw new FormatException("Prefer header has an unterminated quoted string.");
    }

    private static void SkipSpace(string header, ref int position)
    {
        while (position < header.Length && header[position] is ' ' or '\t')
        {
            position++;
        }
    }

    // RFC 7230 tchar, plus the characters URLs bring into unquoted callback-url values (':', '/', '?', '@').
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~:/?@[]".Contains(c);
}
