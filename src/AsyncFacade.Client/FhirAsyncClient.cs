using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AsyncFacade.Client.Auth;
using AsyncFacade.Client.Bulk;

namespace AsyncFacade.Client;

/// <summary>
/// A client for the FHIR asynchronous request pattern and Bulk Data: kick-off (`Prefer: respond-async`), status polls
/// that honour Retry-After (falling back to exponential back-off with jitter), long polling and callbacks when the server
/// offers them, cancel, and parallel, resumable, verified downloads of the results.
/// </summary>
public sealed class FhirAsyncClient : IDisposable
{
    private readonly HttpClient http;
    private readonly HttpClient anonymous;
    private readonly FhirAsyncClientOptions options;
    private readonly SmartTokenProvider? tokens;
    private ServerFeatures? features;

    /// <param name="fhirBase">The server's FHIR base URL, e.g. `https://fhir.example.org/fhir`.</param>
    /// <param name="handler">
    /// The innermost handler (for proxies, certificates, tests). It must not follow redirects itself: a 303 from a status
    /// URL is a result. Default: a <see cref="SocketsHttpHandler"/> without redirects, with gzip.
    /// </param>
    public FhirAsyncClient(Uri fhirBase, FhirAsyncClientOptions? options = null, HttpMessageHandler? handler = null)
    {
        this.options = options ?? new FhirAsyncClientOptions();
        this.options.Validate();
        FhirBase = new Uri(fhirBase.ToString().TrimEnd('/') + "/");
        var inner = handler ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        // Downloads stream for as long as they take; every other request gets RequestTimeout through its own token.
        anonymous = new HttpClient(inner, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        tokens = this.options.Auth is { } auth ? new SmartTokenProvider(FhirBase, auth, anonymous, this.options.TimeProvider) : null;
        Func<string?, CancellationToken, Task<string>>? getToken = tokens is not null ? tokens.GetTokenAsync
            : this.options.BearerToken is { } token ? (_, _) => Task.FromResult(token)
            : null;
        var pipeline = getToken is null ? inner : new BearerTokenHandler(getToken) { InnerHandler = inner };
        http = new HttpClient(pipeline, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public Uri FhirBase { get; }

    public FhirAsyncClientOptions Options => options;

    /// <summary>The token provider when <see cref="FhirAsyncClientOptions.Auth"/> is set.</summary>
    public SmartTokenProvider? Tokens => tokens;

    /// <summary>What the server's CapabilityStatement says about long polling and callbacks (read once; none when unreadable).</summary>
    public async Task<ServerFeatures> GetServerFeaturesAsync(CancellationToken cancellationToken = default)
    {
        if (features is not null)
        {
            return features;
        }
        try
        {
            using var response = await SendAsync(() => Request(HttpMethod.Get, new Uri(FhirBase, "metadata")), cancellationToken);
            features = response.IsSuccessStatusCode
                ? ServerFeatures.FromCapabilityStatement(JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken)).RootElement)
                : ServerFeatures.None;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TimeoutException)
        {
            features = ServerFeatures.None;
        }
        return features;
    }

    public Task<AsyncJob> ExportAsync(ExportRequest request, CancellationToken cancellationToken = default) =>
        KickOffAsync(request.ToAsyncRequest(), cancellationToken);

    public Task<AsyncJob> ImportAsync(ImportRequest request, CancellationToken cancellationToken = default) =>
        KickOffAsync(request.ToAsyncRequest(), cancellationToken);

    /// <summary>
    /// Sends <paramref name="request"/> with `Prefer: respond-async` (plus `async-mode` and `callback-url` as configured) and
    /// returns the job at `Content-Location`. 429/503 are retried after Retry-After; other errors throw with the outcome.
    /// </summary>
    public async Task<AsyncJob> KickOffAsync(AsyncRequest request, CancellationToken cancellationToken = default)
    {
        var callback = options.Callbacks is { } listener && options.UseCallbacks != FeatureUse.Never &&
            (options.UseCallbacks == FeatureUse.Always || (await GetServerFeaturesAsync(cancellationToken)).Callbacks) ? listener.Url : null;
        var prefer = "respond-async" + (request.AsyncMode is { } mode ? ", async-mode=" + mode : "") + (callback is null ? "" : $", callback-url=\"{callback}\"");
        var url = new Uri(FhirBase, request.Url);
        var backoff = new Backoff(options);
        for (var attempt = 0; ; attempt++)
        {
            using var response = await SendAsync(() =>
            {
                var message = Request(request.Method, url, request.Accept);
                message.Headers.TryAddWithoutValidation("Prefer", prefer);
                foreach (var (name, value) in request.Headers)
                {
                    message.Headers.TryAddWithoutValidation(name, value);
                }
                if (request.Body is { } body)
                {
                    message.Content = new ReadOnlyMemoryContent(body);
                    message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
                }
                return message;
            }, cancellationToken);
            var location = response.Content.Headers.ContentLocation ??
                (response.Headers.TryGetValues("Content-Location", out var values) ? new Uri(values.First(), UriKind.RelativeOrAbsolute) : null);
            if (response.StatusCode == HttpStatusCode.Accepted && location is not null)
            {
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                return new AsyncJob(new Uri(url, location))
                {
                    PreferenceApplied = response.Headers.TryGetValues("Preference-Applied", out var applied) ? string.Join(", ", applied) : null,
                    CallbackRequested = callback is not null,
                    Outcome = body.Length > 0 ? FhirJson.TryParse(body) as Hl7.Fhir.Model.OperationOutcome : null,
                };
            }
            var status = await StatusReader.ReadAsync(url, response, options.TimeProvider, cancellationToken);
            var retryable = status.State is JobState.Throttled or JobState.TransientError;
            if (!retryable || attempt >= options.MaxTransientErrors)
            {
                throw FhirAsyncException.FromKickOff(request, response, status, retryable);
            }
            await Task.Delay(status.RetryAfter ?? backoff.Next(), options.TimeProvider, cancellationToken);
        }
    }

    /// <summary>One status request (no waiting): what the server says now.</summary>
    public Task<JobStatus> PollAsync(Uri statusUrl, CancellationToken cancellationToken = default) => PollAsync(statusUrl, null, cancellationToken);

    /// <summary>
    /// Polls until the job ends and returns its result (every manifest page merged). Waits between polls as the server's
    /// Retry-After says, or backs off exponentially with jitter without one; a 429 is a request to slow down, not a
    /// failure. Long-polls (`Prefer: wait`) and wakes on callbacks when available.
    /// </summary>
    /// <exception cref="FhirAsyncException">The job failed (terminal), transient errors outlasted the budget, or the job is gone.</exception>
    public async Task<JobResult> WaitForCompletionAsync(AsyncJob job, IProgress<JobProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var longPoll = !job.CallbackRequested && options.LongPolling != FeatureUse.Never &&
            (options.LongPolling == FeatureUse.Always || (await GetServerFeaturesAsync(cancellationToken)).LongPolling);
        var backoff = new Backoff(options);
        var watch = Stopwatch.StartNew();
        var transientErrors = 0;
        var callbackSeen = false;
        for (var poll = 1; ; poll++)
        {
            var started = watch.Elapsed;
            var status = await PollAsync(job.StatusUrl, longPoll ? options.LongPollSeconds : null, cancellationToken);
            switch (status.State)
            {
                case JobState.Completed:
                    progress?.Report(new JobProgress(poll, status, TimeSpan.Zero, DelaySource.RetryAfter, watch.Elapsed));
                    return await WithAllManifestPagesAsync(status.Result!, cancellationToken);
                case JobState.Failed:
                    progress?.Report(new JobProgress(poll, status, TimeSpan.Zero, DelaySource.RetryAfter, watch.Elapsed));
                    throw FhirAsyncException.From(job.StatusUrl, status, status.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone ? FailureKind.Expired : FailureKind.Terminal);
                case JobState.TransientError when ++transientErrors > options.MaxTransientErrors:
                    progress?.Report(new JobProgress(poll, status, TimeSpan.Zero, DelaySource.RetryAfter, watch.Elapsed));
                    throw FhirAsyncException.From(job.StatusUrl, status, FailureKind.Transient);
                case JobState.InProgress:
                    transientErrors = 0;
                    break;
            }

            var (delay, source) = status.RetryAfter is { } retryAfter ? (retryAfter, DelaySource.RetryAfter) : (backoff.Next(), DelaySource.Backoff);
            if (longPoll && status.State == JobState.InProgress && watch.Elapsed - started >= TimeSpan.FromSeconds(options.LongPollSeconds / 2.0))
            {
                // The server held the request: it paces the client, so the next long poll can go at once.
                (delay, source) = (TimeSpan.Zero, DelaySource.LongPoll);
            }
            else if (job.CallbackRequested && !callbackSeen && options.Callbacks is not null && status.State == JobState.InProgress && delay < options.CallbackPollInterval)
            {
                (delay, source) = (options.CallbackPollInterval, DelaySource.Callback);
            }
            progress?.Report(new JobProgress(poll, status, delay, source, watch.Elapsed));
            if (job.CallbackRequested && !callbackSeen && options.Callbacks is { } listener)
            {
                if (await listener.WaitAsync(job.StatusUrl, delay, cancellationToken) is not null)
                {
                    callbackSeen = true;
                    progress?.Report(new JobProgress(poll, status, TimeSpan.Zero, DelaySource.CallbackReceived, watch.Elapsed));
                }
            }
            else if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, options.TimeProvider, cancellationToken);
            }
        }
    }

    /// <summary>Cancels a running job, or deletes a finished one and its files (`DELETE` on the status URL).</summary>
    /// <returns>True when the server accepted (2xx); false when the job was already gone (404).</returns>
    public async Task<bool> CancelAsync(Uri statusUrl, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => Request(HttpMethod.Delete, statusUrl), cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return true;
        }
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return false;
        }
        var status = await StatusReader.ReadAsync(statusUrl, response, options.TimeProvider, cancellationToken);
        throw FhirAsyncException.From(statusUrl, status, status.State is JobState.TransientError or JobState.Throttled ? FailureKind.Transient : FailureKind.Terminal);
    }

    /// <summary>Redirect mode: the replayed synchronous answer at the 303's Location, streamed (dispose it).</summary>
    public async Task<HttpResponseMessage> OpenResultAsync(JobResult result, CancellationToken cancellationToken = default)
    {
        var location = result.Location ?? throw new InvalidOperationException("The result is not a redirect.");
        var request = Request(HttpMethod.Get, location, "*/*");
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>Downloads every file of a manifest result into <paramref name="directory"/> (see <see cref="BulkDownloader"/>).</summary>
    public Task<DownloadReport> DownloadAsync(JobResult result, string directory, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        new BulkDownloader(http, anonymous, options).DownloadAsync(
            result.Manifest ?? throw new InvalidOperationException("The result has no Bulk Data manifest."), result.Expires, directory, progress, cancellationToken);

    public void Dispose()
    {
        http.Dispose();
        anonymous.Dispose();
        tokens?.Dispose();
    }

    internal async Task<JobStatus> PollAsync(Uri statusUrl, int? waitSeconds, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(() =>
            {
                var request = Request(HttpMethod.Get, statusUrl, "application/json, application/fhir+json");
                if (waitSeconds is { } wait)
                {
                    request.Headers.TryAddWithoutValidation("Prefer", $"wait={wait}");
                }
                return request;
            }, cancellationToken, waitSeconds is { } w ? options.RequestTimeout + TimeSpan.FromSeconds(w) : null);
            return await StatusReader.ReadAsync(statusUrl, response, options.TimeProvider, cancellationToken);
        }
        catch (FhirAsyncException ex) when (ex.Kind == FailureKind.Transient)
        {
            return new JobStatus(JobState.TransientError, null) { Error = ex.Message };
        }
    }

    /// <summary>Sends one request with <see cref="FhirAsyncClientOptions.RequestTimeout"/>; network failures and timeouts become transient failures.</summary>
    internal async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        using var request = create();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? options.RequestTimeout);
        try
        {
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                using (response)
                {
                    var status = await StatusReader.ReadAsync(request.RequestUri!, response, options.TimeProvider, cancellationToken);
                    throw FhirAsyncException.From(request.RequestUri!, status, FailureKind.Unauthorized);
                }
            }
            return response;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or OperationCanceledException or IOException)
        {
            throw new FhirAsyncException(FailureKind.Transient, $"{request.Method} {request.RequestUri} failed: {ex.Message}", inner: ex);
        }
    }

    private static HttpRequestMessage Request(HttpMethod method, Uri url, string accept = "application/fhir+json")
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return request;
    }

    private async Task<JobResult> WithAllManifestPagesAsync(JobResult result, CancellationToken cancellationToken)
    {
        if (result.Manifest is not { } manifest)
        {
            return result;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (manifest.NextPage is { } next && seen.Add(next))
        {
            var page = await GetManifestPageAsync(new Uri(result.StatusUrl, next), cancellationToken);
            manifest = manifest.Append(page);
        }
        return result with { Manifest = manifest };
    }

    private async Task<BulkManifest> GetManifestPageAsync(Uri url, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(options);
        for (var attempt = 0; ; attempt++)
        {
            var status = await PollAsync(url, null, cancellationToken);
            if (status is { State: JobState.Completed, Result.Manifest: { } page })
            {
                return page;
            }
            if (status.State is not (JobState.Throttled or JobState.TransientError) || attempt >= options.MaxTransientErrors)
            {
                throw FhirAsyncException.From(url, status, status.State == JobState.Failed ? FailureKind.Terminal : FailureKind.Transient);
            }
            await Task.Delay(status.RetryAfter ?? backoff.Next(), options.TimeProvider, cancellationToken);
        }
    }
}
