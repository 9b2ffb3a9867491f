using System.Text.Json;

namespace AsyncFacade.Server.Export;

/// <summary>Reads `Bundle.link` for the next page: the one reader every page and history page goes through.</summary>
internal static class BundleLinkReader
{
    /// <summary>
    /// The one reader of `Bundle.link` next links, lenient where real servers are sloppy (a link that is not an object, a
    /// link without relation, a url that is not a string: ignored) and strict where it matters (the first `next` wins, the
    /// url is taken as given: offset, `_cursor`, `ct`, `_getpages` or an odd path, relative or absolute, is the server's business).
    /// </summary>
    public static string? ReadNextLink(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }
        string? next = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            // relation and url may come in either order; a url is only unescaped into a string when it may be the next link.
            bool? isNext = null;
            string? url = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("relation"u8))
                {
                    reader.Read();
                    isNext = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("next"u8);
                }
                else if (reader.ValueTextEquals("url"u8))
                {
                    reader.Read();
                    url = isNext != false && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (isNext == true && url is not null)
            {
                // The first next link wins; R4 allows one per relation.
                next ??= url;
            }
        }
        return next;
    }

    /// <summary>Only the next link of a Bundle held whole (a history page): the same reading as a searchset page's.</summary>
    public static string? NextLinkOf(ReadOnlySpan<byte> bundle)
    {
        var reader = new Utf8JsonReader(bundle);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isLink = reader.ValueTextEquals("link"u8);
            reader.Read();
            if (isLink)
            {
                return ReadNextLink(ref reader);
            }
            reader.Skip();
        }
        return null;
    }
}
