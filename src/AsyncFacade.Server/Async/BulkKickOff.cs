using System.Text;
using AsyncFacade.Server.Callbacks;
using AsyncFacade.Server.Fhir;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Async;

/// <summary>
/// The checks every Bulk Data kick-off ($export, $import) makes before anything else, each answered with an
/// OperationOutcome: `Prefer: respond-async` required and no `async-mode` (the answer is always a manifest), `Accept`
/// allowing FHIR JSON, an acceptable `callback-url`; and a bounded read of a small JSON body.
/// </summary>
internal static class BulkKickOff
{
    // A Parameters body or manifest of a few KB is normal; this bound stops a kick-off from buffering megabytes.
    public const int MaxBodyBytes = 1 << 20;

    /// <returns>The parsed Prefer header, or null with the answer to send in <paramref name="refusal"/>.</returns>
    public static async Task<(PreferHeader? Prefer, IResult? Refusal)> CheckAsync(HttpRequest request, string operation, CallbackUrlPolicy callbacks,
        CancellationToken cancellationToken)
    {
        if (PreferHeader.FromRequest(request, out var badPrefer) is not { } prefer)
        {
            return (null, badPrefer);
        }
        if (!prefer.RespondAsync)
        {
            return (null, Invalid("Prefer", $"{operation} runs asynchronously: send `Prefer: respond-async`."));
        }
        if (prefer.AsyncMode is not null)
        {
            return (null, Invalid("Prefer", $"{operation} always answers with a Bulk Data manifest; `async-mode={prefer.AsyncMode}` conflicts with it."));
        }
        if (!JsonAccept.Allows(request))
        {
            return (null, FhirResults.Error(StatusCodes.Status406NotAcceptable, OperationOutcome.IssueType.NotSupported,
                $"{operation} kick-off answers application/fhir+json (the manifest itself is application/json); Accept allows neither.", "Accept"));
        }
        if (prefer.CallbackUrl is not null && await callbacks.CheckAsync(prefer.CallbackUrl, cancellationToken) is { } refused)
        {
            return (null, Invalid("Prefer", "Prefer: callback-url refused: " + refused));
        }
        return (prefer, null);
    }

    /// <summary>The body as text, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    public static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var buffer = new char[MaxBodyBytes + 1];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
        return read > MaxBodyBytes ? null : new string(buffer, 0, read);
    }

    public static IResult TooLarge(string what) =>
        FhirResults.Error(StatusCodes.Status413PayloadTooLarge, OperationOutcome.IssueType.TooLong, $"The {what} body is larger than 1 MB.");

    public static IResult Invalid(string parameter, string message) =>
        FhirResults.Error(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, message, parameter);
}
