using System.Buffers;

namespace AsyncFacade.Server.Storage;

/// <summary>Keys come partly from URLs: only plain segments are allowed, so no key can leave the store's root.</summary>
public static class OutputKey
{
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    public static bool IsValid(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 512)
        {
            return false;
        }
        foreach (var range in key.AsSpan().Split('/'))
        {
            var segment = key.AsSpan(range);
            if (segment.IsEmpty || segment is "." or ".." || segment.ContainsAnyExcept(Allowed))
            {
                return false;
            }
        }
        return true;
    }

    public static string Validate(string key) =>
        IsValid(key) ? key : throw new ArgumentException($"'{key}' is not a valid output key.", nameof(key));
}
