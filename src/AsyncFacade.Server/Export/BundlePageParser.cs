using System.Buffers;
using System.Text.Json;
using AsyncFacade.Server.Export.Paging;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Walks one buffered searchset page once, validating all of it and noting where each resource to export lies, before a
/// single byte is written. Nothing is deserialized: property names and values are compared as UTF-8 in place, so an entry
/// costs no allocation.
/// </summary>
internal static class BundlePageParser
{
    private enum SearchMode { Match, Include, Outcome }

    // FHIR ids are at most 64 characters and instants about 30; room for escapes and longer fractions.
    private const int IdBytes = 256;
    private const int InstantBytes = 64;

    /// <param name="trail">Given when the pager pages this search: it learns each match entry's id and `meta.lastUpdated`, and may leave entries out.</param>
    public static BundlePageResult Parse(ReadOnlySequence<byte> page, byte[]? expectedType, ResourceSliceList slices, PageTrail? trail = null)
    {
        var reader = new Utf8JsonReader(page, isFinalBlock: true, state: default);
        try
        {
            return ParseBundle(ref reader, page, expectedType, slices, trail);
        }
        catch (JsonException ex)
        {
            throw Malformed(page, reader.BytesConsumed, ex);
        }
        catch (InvalidOperationException ex)
        {
            // GetString on a string that is not valid UTF-8.
            throw Malformed(page, reader.BytesConsumed, ex);
        }
    }

    private static BundlePageResult ParseBundle(ref Utf8JsonReader reader, ReadOnlySequence<byte> page, byte[]? expectedType, ResourceSliceList slices, PageTrail? trail)
    {
        if (!reader.Read())
        {
            throw EndedEarly(page.Length, null);
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new BundlePageException("The upstream returned JSON that is not a FHIR resource where a search Bundle was expected.");
        }

        var isBundle = false;
        string? otherType = null;
        int? total = null;
        string? nextUrl = null;
        var copied = 0;
        var skipped = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("resourceType"u8))
            {
                reader.Read();
                isBundle = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("Bundle"u8);
                otherType = isBundle ? null : ReadTypeName(ref reader);
            }
            else if (reader.ValueTextEquals("total"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var value) || value < 0)
                {
                    throw new BundlePageException("The upstream returned a search Bundle whose total is not a non-negative integer.");
                }
                total = value;
            }
            else if (reader.ValueTextEquals("link"u8))
            {
                reader.Read();
                nextUrl = BundleLinkReader.ReadNextLink(ref reader) ?? nextUrl;
            }
            else if (reader.ValueTextEquals("entry"u8))
            {
                reader.Read();
                ReadEntries(ref reader, page, expectedType, slices, trail, ref copied, ref skipped);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // Throws on anything but whitespace after the Bundle.
        reader.Read();

        if (!isBundle)
        {
            throw new BundlePageException(otherType is null
                ? "The upstream returned a resource that is not a search Bundle."
                : $"The upstream returned a resource of type {otherType} where a search Bundle was expected.");
        }
        return new BundlePageResult(copied, skipped, nextUrl, total);
    }

    private static void ReadEntries(ref Utf8JsonReader reader, ReadOnlySequence<byte> page, byte[]? expectedType, ResourceSliceList slices, PageTrail? trail,
        ref int copied, ref int skipped)
    {
        ExpectArray(ref reader, "entry");
        Span<byte> id = stackalloc byte[IdBytes];
        Span<byte> instant = stackalloc byte[InstantBytes];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new BundlePageException("The upstream returned a search Bundle with an entry that is not an object.");
            }
            // search may follow resource, so the resource is remembered by position and decided on at the entry's end.
            var mode = SearchMode.Match;
            ResourceSlice? resource = null;
            var typeMatches = false;
            var idLength = 0;
            var instantLength = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("resource"u8))
                {
                    resource = ReadResource(ref reader, page, expectedType, out typeMatches, trail is null ? [] : id, out idLength,
                        trail is null ? [] : instant, out instantLength);
                }
                else if (reader.ValueTextEquals("search"u8))
                {
                    reader.Read();
                    mode = ReadSearchMode(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (mode != SearchMode.Match)
            {
                skipped++;
                continue;
            }
            if (resource is not { } slice)
            {
                throw new BundlePageException("The upstream returned a search Bundle with a match entry that has no resource.");
            }
            if (!typeMatches)
            {
                throw WrongType(page, slice, expectedType);
            }
            if (trail is not null && !trail.Observe(id[..idLength], instant[..instantLength]))
            {
                // Written by an earlier page of this search (a query re-issued from a `_lastUpdated` bound): counted, not copied.
                skipped++;
                continue;
            }
            slices.Add(slice);
            copied++;
        }
    }

    // The resource's id and meta.lastUpdated are copied out (unescaped; empty when absent or too long) for the pager, in
    // the same walk; with empty destinations they are skipped like any other property.
    private static ResourceSlice ReadResource(ref Utf8JsonReader reader, ReadOnlySequence<byte> page, byte[]? expectedType, out bool typeMatches,
        scoped Span<byte> id, out int idLength, scoped Span<byte> instant, out int instantLength)
    {
        // The reader can report where a token starts only as an index; turning that into a position from the start of the
        // page would walk every segment for every entry, so it is found from the position just before the value instead.
        var before = reader.Position;
        var consumedBefore = reader.BytesConsumed;
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new BundlePageException("The upstream returned a search Bundle with an entry resource that is not an object.");
        }
        var start = page.GetPosition(reader.TokenStartIndex - consumedBefore, before);

        // Walking the resource's own properties costs the same as reader.Skip() and finds resourceType wherever it is.
        typeMatches = false;
        idLength = 0;
        instantLength = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("resourceType"u8))
            {
                reader.Read();
                typeMatches = reader.TokenType == JsonTokenType.String && (expectedType is null || reader.ValueTextEquals(expectedType));
            }
            else if (!id.IsEmpty && reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                idLength = ResourceFieldReader.CopyString(ref reader, id);
            }
            else if (!instant.IsEmpty && reader.ValueTextEquals("meta"u8))
            {
                reader.Read();
                instantLength = ResourceFieldReader.ReadLastUpdated(ref reader, instant);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return new ResourceSlice(start, reader.Position);
    }

    private static SearchMode ReadSearchMode(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return SearchMode.Match;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new BundlePageException("The upstream returned a search Bundle with an entry search that is not an object.");
        }
        var mode = SearchMode.Match;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMode = reader.ValueTextEquals("mode"u8);
            reader.Read();
            if (!isMode)
            {
                reader.Skip();
            }
            else if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("match"u8))
            {
                mode = SearchMode.Match;
            }
            else if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("include"u8))
            {
                mode = SearchMode.Include;
            }
            else if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("outcome"u8))
            {
                mode = SearchMode.Outcome;
            }
            else if (reader.TokenType != JsonTokenType.Null)
            {
                // search-entry-mode is a required binding (R4 Bundle.entry.search.mode); guessing could export the wrong rows.
                throw new BundlePageException("The upstream returned a search Bundle with an unknown entry search mode.");
            }
        }
        return mode;
    }

    private static void ExpectArray(ref Utf8JsonReader reader, string property)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new BundlePageException($"The upstream returned a search Bundle whose {property} is not an array.");
        }
    }

    // Error path only: find the offending resourceType again rather than keeping one per entry.
    private static BundlePageException WrongType(ReadOnlySequence<byte> page, ResourceSlice slice, byte[]? expectedType)
    {
        var reader = new Utf8JsonReader(page.Slice(slice.Start, slice.End), isFinalBlock: true, state: default);
        reader.Read();
        string? actual = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("resourceType"u8);
            reader.Read();
            if (isType)
            {
                actual = ReadTypeName(ref reader);
                break;
            }
            reader.Skip();
        }
        if (actual is null)
        {
            return new BundlePageException("The upstream returned a search entry whose resource has no valid resourceType.");
        }
        var expected = expectedType is null ? "another type" : System.Text.Encoding.UTF8.GetString(expectedType);
        return new BundlePageException($"The upstream returned a resource of type {actual} in a search for {expected}.");
    }

    // The name is echoed to the client, so only something shaped like a FHIR type name is; otherwise null.
    private static string? ReadTypeName(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length is 0 or > 64)
        {
            return null;
        }
        foreach (var b in reader.ValueSpan)
        {
            if (!char.IsAsciiLetter((char)b))
            {
                return null;
            }
        }
        return reader.GetString();
    }

    private static BundlePageException Malformed(ReadOnlySequence<byte> page, long offset, Exception inner) =>
        IsIncompleteButValid(page)
            ? EndedEarly(page.Length, inner)
            : new BundlePageException($"The upstream returned malformed JSON at byte {offset} of a search page.", inner) { Transient = true };

    private static BundlePageException EndedEarly(long length, Exception? inner) =>
        new($"The upstream search page ended early, after {length} bytes; the response was cut off.", inner) { Transient = true };

    // Error path only: a page that is a valid prefix of JSON was cut off (dropped connection, proxy limit), which is worth
    // telling apart from an upstream that writes broken JSON.
    private static bool IsIncompleteButValid(ReadOnlySequence<byte> page)
    {
        var reader = new Utf8JsonReader(page, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
            {
            }
            // Ran out of data without an error: unless the last token closed the top-level value, the page was cut off.
            // (CurrentDepth is the depth of the last token, so the top-level '{' and '}' are both at depth 0.)
            var closedTopLevel = reader.CurrentDepth == 0 && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray
                or JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null;
            return !closedTopLevel;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
