using System.Net.Http.Headers;

namespace AsyncFacade.Client.Tests.Downloads;

/// <summary>
/// The network failing on the client's side: the first file response's body breaks (IOException) after some bytes, as a
/// dropped connection would. Every request goes to the real server; later ones pass untouched.
/// </summary>
public sealed class BreakingHandler(HttpMessageHandler inner, int breakAfterBytes) : DelegatingHandler(inner)
{
    private int broken;

    public List<string> Ranges { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Ranges)
        {
            Ranges.Add(request.Headers.Range?.ToString() ?? "");
        }
        var response = await base.SendAsync(request, cancellationToken);
        if (request.RequestUri!.AbsolutePath.Contains("/files/", StringComparison.Ordinal) && Interlocked.Exchange(ref broken, 1) == 0)
        {
            var content = new StreamContent(new BreakingStream(await response.Content.ReadAsStreamAsync(cancellationToken), breakAfterBytes));
            foreach (var header in response.Content.Headers)
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            response.Content = content;
        }
        return response;
    }

    private sealed class BreakingStream(Stream inner, int limit) : Stream
    {
        private int position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (position >= limit)
            {
                throw new IOException("The connection was reset (simulated by the test).");
            }
            var read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, limit - position)], cancellationToken);
            position += read;
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
