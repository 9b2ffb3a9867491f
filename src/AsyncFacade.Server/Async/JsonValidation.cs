using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace AsyncFacade.Server.Async;

/// <summary>Checks that a stream holds exactly one well-formed JSON object in valid UTF-8, reading it in chunks (never whole).</summary>
internal static class JsonValidation
{
    public static async Task<bool> IsSingleObjectAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(65536);
        try
        {
            var state = new JsonReaderState();
            var carried = 0;
            var depth0Values = 0;
            while (true)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(carried), cancellationToken);
                var final = read == 0;
                var length = carried + read;
                if (!TryAdvance(buffer.AsSpan(0, length), final, ref state, ref depth0Values, out var consumed))
                {
                    return false;
                }
                if (final)
                {
                    return depth0Values == 1 && consumed == length;
                }
                // Keep what the reader could not finish (a token cut by the chunk edge); grow if one token fills the buffer.
                carried = length - consumed;
                if (carried == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, carried).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                else
                {
                    buffer.AsSpan(consumed, carried).CopyTo(buffer);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool TryAdvance(ReadOnlySpan<byte> data, bool final, ref JsonReaderState state, ref int topLevelValues, out int consumed)
    {
        var reader = new Utf8JsonReader(data, final, state);
        try
        {
            while (reader.Read())
            {
                // The reader checks structure, not the bytes inside strings: JSON is UTF-8 (RFC 8259 §8.1).
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && !Utf8.IsValid(reader.ValueSpan))
                {
                    consumed = 0;
                    return false;
                }
                if (reader.CurrentDepth == 0 && reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray))
                {
                    // A second top-level value, or one that is not an object, cannot be a FHIR resource.
                    topLevelValues += reader.TokenType == JsonTokenType.StartObject ? 1 : 2;
                }
            }
            consumed = (int)reader.BytesConsumed;
            state = reader.CurrentState;
            return true;
        }
        catch (JsonException)
        {
            consumed = 0;
            return false;
        }
    }
}
