using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Hl7.Fhir.Model;

namespace AsyncFacade.Client;

/// <summary>
/// Receives completion callbacks (a FHIR Parameters POST with `status`, `resultUrl`, optional `outcome`) so a waiting
/// client stops sleeping as soon as its job ends. Callbacks are a signal, never the result: the client still polls.
/// The URL must be reachable from the server (and allowed by it).
/// </summary>
public sealed class CallbackListener : IAsyncDisposable
{
    private const int MaxBody = 1024 * 1024;
    private readonly HttpListener listener = new();
    private readonly byte[]? signingKey;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CallbackNotification>> waiting = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<CallbackNotification> received = new();
    private readonly Task loop;

    private CallbackListener(Uri url, byte[]? signingKey)
    {
        Url = url;
        this.signingKey = signingKey;
        listener.Prefixes.Add(url.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
        listener.Start();
        loop = Task.Run(AcceptAsync);
    }

    /// <summary>The `callback-url` given to the server.</summary>
    public Uri Url { get; }

    public IReadOnlyList<CallbackNotification> Received => [.. received];

    /// <summary>Listens on <paramref name="url"/>, e.g. `http://192.0.2.10:8181/callbacks/` (port 0: a free one).</summary>
    /// <param name="signingKey">The server's HMAC key: callbacks without a matching `X-Signature: sha256=…` are refused.</param>
    public static CallbackListener Start(Uri url, string? signingKey = null)
    {
        if (url.Port == 0)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            url = new UriBuilder(url) { Port = ((IPEndPoint)probe.LocalEndpoint).Port }.Uri;
        }
        return new CallbackListener(url, signingKey is null ? null : Encoding.UTF8.GetBytes(signingKey));
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the callback of the job at <paramref name="statusUrl"/>.</summary>
    internal async Task<CallbackNotification?> WaitAsync(Uri statusUrl, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var pending = waiting.GetOrAdd(Key(statusUrl.ToString()), _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        var finished = await Task.WhenAny(pending, Task.Delay(timeout, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        return finished == pending ? await pending : null;
    }

    public async ValueTask DisposeAsync()
    {
        listener.Close();
        try
        {
            await loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    // The result URL is the status URL itself, or its `/result` in redirect mode.
    private static string Key(string url) => (url.EndsWith("/result", StringComparison.Ordinal) ? url[..^"/result".Length] : url).TrimEnd('/');

    private async Task AcceptAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                context.Response.StatusCode = await HandleAsync(context.Request);
            }
            catch (Exception ex) when (ex is IOException or HttpListenerException)
            {
                context.Response.StatusCode = 400;
            }
            context.Response.Close();
        }
    }

    private async Task<int> HandleAsync(HttpListenerRequest request)
    {
        if (request.HttpMethod != "POST")
        {
            return 405;
        }
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.InputStream.ReadAsync(buffer)) > 0)
        {
            if (body.Length + read > MaxBody)
            {
                return 413;
            }
            body.Write(buffer, 0, read);
        }
        if (signingKey is not null)
        {
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, body.ToArray()));
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(request.Headers["X-Signature"] ?? ""), Encoding.ASCII.GetBytes(expected)))
            {
                return 401;
            }
        }
        if (FhirJson.TryParse(body.ToArray()) is not Parameters parameters ||
            parameters.GetSingleValue<Code>("status")?.Value is not { } status ||
            (parameters.GetSingleValue<FhirUrl>("resultUrl")?.Value ?? parameters.GetSingleValue<FhirUri>("resultUrl")?.Value) is not { } resultUrl)
        {
            return 400;
        }
        var notification = new CallbackNotification(status, new Uri(resultUrl), parameters.GetSingle("outcome")?.Resource as OperationOutcome);
        received.Enqueue(notification);
        waiting.GetOrAdd(Key(resultUrl), _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(notification);
        return 204;
    }
}
