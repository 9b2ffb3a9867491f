using System.Globalization;
using System.Text;

namespace AsyncFacade.Server.Storage.AzureBlob;

/// <summary>
/// A block's id says where the block sits, so a resumed run can rebuild the object from GetBlockList alone: the
/// generation of the writer that staged it (a new one per create and per resume, higher than any before it on that
/// blob), its sequence number and the offset it ends at. Azure requires every block id of a blob to have the same
/// length (before base64), hence the fixed-width fields: "g{gen:x8}-s{seq:D6}-e{end:D15}", 34 characters.
/// </summary>
internal readonly record struct BlockId(uint Generation, int Sequence, long End)
{
    private const int TextLength = 34;

    public string Encode() =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"g{Generation:x8}-s{Sequence:D6}-e{End:D15}")));

    /// <summary>False for ids some other writer gave (a blob uploaded by hand): such blocks are never part of a resume.</summary>
    public static bool TryParse(string base64, out BlockId id)
    {
        id = default;
        Span<byte> bytes = stackalloc byte[64];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != TextLength)
        {
            return false;
        }
        var text = Encoding.ASCII.GetString(bytes[..written]);
        if (text[0] != 'g' || text[9..11] != "-s" || text[17..19] != "-e" ||
            !uint.TryParse(text.AsSpan(1, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var generation) ||
            !int.TryParse(text.AsSpan(11, 6), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ||
            !long.TryParse(text.AsSpan(19, 15), NumberStyles.None, CultureInfo.InvariantCulture, out var end))
        {
            return false;
        }
        id = new BlockId(generation, sequence, end);
        return true;
    }
}
