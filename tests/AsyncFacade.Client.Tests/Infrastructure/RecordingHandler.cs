using System.Collections.Concurrent;
using System.Net;

namespace AsyncFacade.Client.Tests.Infrastructure;

/// <summary>Records what the client sent over the wire (path, Authorization) and what came back; everything goes to the real server.</summary>
public sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false })
{
    private readonly ConcurrentQueue<Exchange> exchanges = new();

    public IReadOnlyList<Exchange> Exchanges => [.. exchanges];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var authorization = request.Headers.Authorization?.Parameter;
        var response = await base.SendAsync(request, cancellationToken);
        exchanges.Enqueue(new Exchange(request.Method.Method, request.RequestUri!.AbsolutePath, authorization, response.StatusCode));
        return response;
    }

    public sealed record Exchange(string Method, string Path, string? Token, HttpStatusCode Status);
}
