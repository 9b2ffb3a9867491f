using System.IO.Pipelines;

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
        if (!request.RequestUri!.AbsolutePath.Contains("/files/", StringComparison.Ordinal) || Interlocked.Exchange(ref broken, 1) != 0)
        {
            return response;
        }
        // The first bytes arrive, then the read fails.
        var head = new byte[breakAfterBytes];
        await (await response.Content.ReadAsStreamAsync(cancellationToken)).ReadExactlyAsync(head, cancellationToken);
        // A writer that waits until the reader has taken the bytes (threshold 1) and only then fails the stream.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1, resumeWriterThreshold: 1));
        _ = Task.Run(async () =>
        {
            await pipe.Writer.WriteAsync(head, CancellationToken.None);
            await pipe.Writer.CompleteAsync(new IOException("The connection was reset (simulated by the test)."));
        }, CancellationToken.None);
        var content = new StreamContent(pipe.Reader.AsStream());
        foreach (var header in response.Content.Headers)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        response.Content.Dispose();
        response.Content = content;
        return response;
    }
}
