using System.Buffers.Binary;

namespace AsyncFacade.Tests.Browser;

/// <summary>
/// What a screenshot check needs from a PNG without decoding it: the IHDR size and the compressed pixel data size
/// (the IDAT chunks). Throws when the bytes are not a well-formed PNG.
/// </summary>
public sealed record PngFile(int Width, int Height, long ImageDataBytes, long FileBytes)
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static PngFile Read(byte[] png)
    {
        if (png.Length < Signature.Length + 25 || !png.AsSpan(0, Signature.Length).SequenceEqual(Signature))
        {
            throw new InvalidDataException("Not a PNG: the signature is missing.");
        }
        int? width = null, height = null;
        long imageData = 0;
        var offset = Signature.Length;
        var ended = false;
        while (!ended)
        {
            if (offset + 12 > png.Length)
            {
                throw new InvalidDataException($"PNG cut short at byte {offset}: no IEND chunk.");
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            if (length > int.MaxValue || offset + 12 + (long)length > png.Length)
            {
                throw new InvalidDataException($"PNG chunk {type} at byte {offset} runs past the end of the file.");
            }
            var data = png.AsSpan(offset + 8, (int)length);
            if (width is null && type != "IHDR")
            {
                throw new InvalidDataException($"PNG's first chunk is {type}, not IHDR.");
            }
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    break;
                case "IDAT":
                    imageData += length;
                    break;
                case "IEND":
                    ended = true;
                    break;
            }
            offset += 12 + (int)length;
        }
        if (imageData == 0)
        {
            throw new InvalidDataException("PNG has no IDAT chunk.");
        }
        return new PngFile(width!.Value, height!.Value, imageData, png.Length);
    }
}
