using System.Buffers;

namespace AsyncFacade.Server.Import;

/// <summary>The FHIR R4 id rule, [A-Za-z0-9-.]{1,64}: such an id goes into a URL and a JSON string without escaping.</summary>
internal static class ResourceId
{
    private static readonly SearchValues<char> Allowed = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.");

    public static bool IsValid(string id) => id.Length is > 0 and <= 64 && !id.AsSpan().ContainsAnyExcept(Allowed);
}
