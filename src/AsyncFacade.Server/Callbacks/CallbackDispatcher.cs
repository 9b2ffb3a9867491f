using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AsyncFacade.Server.Fhir;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using AsyncFacade.Server.Security;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Callbacks;

/// <summary>
/// Sends queued callbacks: one best-effort POST each, no retries (the callback extension: "a signal, not the primary
/// delivery channel"). Whatever the receiver does is logged and dropped; nothing here reaches the job.
/// </summary>
internal sealed class CallbackDispatcher(
    CallbackNotifier notifier,
    IHttpClientFactory clients,
    IOptions<CallbackOptions> options,
    TimeProvider time,
    ILogger<CallbackDispatcher> logger) : BackgroundService
{
    public const string ClientName = "callbacks";

    // A few receivers that stall until the timeout must not hold up everyone else's callbacks; more than a few
    // in flight buys nothing for a signal that is at most one per finished job.
    private const int MaxConcurrency = 4;

    private readonly byte[]? signingKey = string.IsNullOrEmpty(options.Value.SigningKey) ? null : Encoding.UTF8.GetBytes(options.Value.SigningKey);
    private int abandoned;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, MaxConcurrency).Select(_ => SendQueuedAsync(stoppingToken)));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var dropped = notifier.Close() + Interlocked.Exchange(ref abandoned, 0);
        if (dropped > 0)
        {
            CallbacksLog.DroppedAtShutdown(logger, dropped);
        }
    }

    private async Task SendQueuedAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var notification in notifier.Reader.ReadAllAsync(stoppingToken))
            {
                // ReadAllAsync keeps handing out queued items after cancellation; don't start a doomed send for them.
                if (stoppingToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref abandoned);
                    return;
                }
                await SendAsync(notification, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: StopAsync counts what is left.
        }
    }

    private async Task SendAsync(CallbackNotification notification, CancellationToken stoppingToken)
    {
        if (!CallbackUrl.TryParse(notification.CallbackUrl, out var uri, out var reason))
        {
            // Checked at kick-off already; this catches a record written by an older version or edited by hand.
            CallbacksLog.Refused(logger, notification.JobId, "(invalid URL)", reason);
            return;
        }
        var host = uri.Authority;
        try
        {
            using var request = CreateRequest(notification, uri);
            CallbacksLog.Sending(logger, notification.Status, notification.JobId, host);
            await PostAsync(request, notification.JobId, host, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref abandoned);
        }
        catch (Exception ex)
        {
            // A BackgroundService that throws stops the whole host; no callback is worth that.
            CallbacksLog.Unexpected(logger, notification.JobId, host, ex);
        }
    }

    private async Task PostAsync(HttpRequestMessage request, string jobId, string host, CancellationToken stoppingToken)
    {
        var timeoutSeconds = options.Value.TimeoutSeconds;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, deadline.Token);
        var started = time.GetTimestamp();
        try
        {
            using var client = clients.CreateClient(ClientName);
            // Headers only: the body is never read, so a receiver cannot make us buffer a large answer.
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var elapsedMs = (long)time.GetElapsedTime(started).TotalMilliseconds;
            if (response.IsSuccessStatusCode)
            {
                CallbacksLog.Delivered(logger, jobId, host, (int)response.StatusCode, elapsedMs);
            }
            else
            {
                CallbacksLog.Rejected(logger, jobId, host, (int)response.StatusCode, elapsedMs);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            CallbacksLog.TimedOut(logger, jobId, host, timeoutSeconds);
        }
        catch (HttpRequestException ex) when (GuardedConnector.FindRefusal(ex) is { } refusal)
        {
            CallbacksLog.Refused(logger, jobId, host, refusal.Message);
        }
        catch (HttpRequestException ex)
        {
            CallbacksLog.Failed(logger, jobId, host, ex.Message);
        }
    }

    private HttpRequestMessage CreateRequest(CallbackNotification notification, Uri uri)
    {
        OperationOutcome? outcome = null;
        try
        {
            outcome = CallbackPayload.ReadOutcome(notification.OutcomeJson);
        }
        catch (Exception ex) when (ex is JsonException or DeserializationFailedException)
        {
            CallbacksLog.UnreadableOutcome(logger, notification.JobId, ex);
        }

        var body = CallbackPayload.Serialize(CallbackPayload.ToParameters(notification, outcome));
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(FhirMediaTypes.Json) { CharSet = "utf-8" };
        if (signingKey is not null)
        {
            request.Headers.TryAddWithoutValidation(CallbackPayload.SignatureHeader, CallbackPayload.Sign(signingKey, body));
        }
        return request;
    }
}
