using System.Net;

namespace AsyncFacade.Bench;

/// <summary>A Bulk Data kick-off as a client sends it: `Prefer: respond-async`, FHIR JSON accepted; the status URL back.</summary>
internal static class ExportKickOff
{
    public static async Task<Uri> SendAsync(HttpClient client, string kickOffUrl)
    {
        using var kickOff = new HttpRequestMessage(HttpMethod.Get, kickOffUrl);
        kickOff.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        kickOff.Headers.TryAddWithoutValidation("Accept", "application/fhir+json");
        using var accepted = await client.SendAsync(kickOff);
        if (accepted.StatusCode != HttpStatusCode.Accepted || accepted.Content.Headers.ContentLocation is not { } statusUrl)
        {
            throw new InvalidOperationException($"Kick-off answered {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync()}");
        }
        return statusUrl;
    }
}
