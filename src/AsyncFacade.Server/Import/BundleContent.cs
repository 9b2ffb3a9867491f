using System.Net;
using System.Text;

namespace AsyncFacade.Server.Import;

/// <summary>
/// A batch or transaction Bundle written straight from the batch's buffer to the request stream: each line's bytes go
/// in unchanged as `entry.resource` (they were checked already), with `PUT {type}/{id}` (or `POST {type}` for a line
/// without an id in InitialLoad). Ids and type names need no JSON escaping, so the length is known up front.
/// </summary>
internal sealed class BundleContent : HttpContent
{
    private static readonly byte[] EntryEnd = "}"u8.ToArray();
    private static readonly byte[] Tail = "]}"u8.ToArray();

    private readonly ImportBatch batch;
    private readonly IReadOnlyList<BatchEntry> entries;
    private readonly string type;
    private readonly byte[] head;

    public BundleContent(ImportBatch batch, IReadOnlyList<BatchEntry> entries, string type, string bundleType)
    {
        this.batch = batch;
        this.entries = entries;
        this.type = type;
        head = Encoding.UTF8.GetBytes($$"""{"resourceType":"Bundle","type":"{{bundleType}}","entry":[""");
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/fhir+json") { CharSet = "utf-8" };
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // Many small pieces: gathered into 64 KiB writes instead of one socket write each. Not disposed: it would close the request.
        var buffered = new BufferedStream(stream, 65536);
        await buffered.WriteAsync(head, cancellationToken);
        for (var i = 0; i < entries.Count; i++)
        {
            await buffered.WriteAsync(EntryHead(entries[i], first: i == 0), cancellationToken);
            await buffered.WriteAsync(batch.Resource(entries[i]), cancellationToken);
            await buffered.WriteAsync(EntryEnd, cancellationToken);
        }
        await buffered.WriteAsync(Tail, cancellationToken);
        await buffered.FlushAsync(cancellationToken);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = head.Length + 2;
        for (var i = 0; i < entries.Count; i++)
        {
            length += EntryHead(entries[i], first: i == 0).Length + entries[i].Length + 1;
        }
        return true;
    }

    private byte[] EntryHead(BatchEntry entry, bool first)
    {
        var request = entry.Id is null
            ? $$"""{"method":"POST","url":"{{type}}"}"""
            : $$"""{"method":"PUT","url":"{{type}}/{{entry.Id}}"}""";
        return Encoding.UTF8.GetBytes($$"""{{(first ? "" : ",")}}{"request":{{request}},"resource":""");
    }
}
