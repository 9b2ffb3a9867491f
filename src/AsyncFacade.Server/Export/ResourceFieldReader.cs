using System.Text.Json;

namespace AsyncFacade.Server.Export;

/// <summary>The few resource fields the pager needs (id, meta.lastUpdated), copied out of a page walk without allocating.</summary>
internal static class ResourceFieldReader
{
    public static int ReadLastUpdated(ref Utf8JsonReader reader, scoped Span<byte> instant)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }
        var length = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isLastUpdated = reader.ValueTextEquals("lastUpdated"u8);
            reader.Read();
            if (isLastUpdated)
            {
                length = CopyString(ref reader, instant);
            }
            else
            {
                reader.Skip();
            }
        }
        return length;
    }

    public static int CopyString(ref Utf8JsonReader reader, scoped Span<byte> destination)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return 0;
        }
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        return length <= destination.Length ? reader.CopyString(destination) : 0;
    }
}
