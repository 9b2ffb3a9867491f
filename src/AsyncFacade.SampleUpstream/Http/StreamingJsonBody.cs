using System.Text.Json;
using AsyncFacade.SampleUpstream.Generation;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>
/// A <see cref="Utf8JsonWriter"/> over <c>Response.BodyWriter</c> that hands data to Kestrel every ~64 KB, so a
/// page is never buffered whole and the client starts reading while the rest is generated.
/// </summary>
internal sealed class StreamingJsonBody(HttpResponse response) : IDisposable
{
    // Large enough that flush overhead is noise next to JSON writing, small enough to keep memory flat.
    private const int FlushThreshold = 64 * 1024;

    private long flushedAt;

    public Utf8JsonWriter Writer { get; } = new(response.BodyWriter, FhirJsonFormat.WriterOptions);

    public async ValueTask FlushIfFullAsync(CancellationToken cancellationToken)
    {
        if (Writer.BytesPending + Writer.BytesCommitted - flushedAt >= FlushThreshold)
        {
            await FlushAsync(cancellationToken);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        Writer.Flush();
        flushedAt = Writer.BytesCommitted;
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    public void Dispose() => Writer.Dispose();
}
