using System.Net;
using System.Net.Http.Headers;
using AsyncFacade.Server.Export;
using AsyncFacade.Server.Security;
using AsyncFacade.Server.Storage;
using AsyncFacade.Server.Upstream;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Import;

/// <summary>
/// Opens an input as a stream, never buffering it: own export files from the output store, objects the store reads with the
/// facade's credentials (never through the HttpClient below), local files, or an http(s)
/// GET read as it arrives (ResponseHeadersRead). Redirects are followed by hand (at most <see cref="MaxRedirects"/>),
/// each target checked against the allow-list; a bearer token goes only to the host it is configured for.
/// </summary>
internal sealed class ImportFetcher(IHttpClientFactory clients, ImportSourcePolicy policy, IOutputStore output, IOptions<ImportOptions> options, TimeProvider time)
{
    public const string ClientName = "import-sources";

    private const int MaxRedirects = 5;
    private const int MaxAttempts = 3;

    // Sources are not the upstream: their retries have a budget of their own.
    private static readonly TimeSpan SourceRetryBudget = TimeSpan.FromMinutes(2);

    public async Task<Stream> OpenAsync(ImportSource source, CancellationToken cancellationToken)
    {
        switch (source.From)
        {
            case ImportSource.Kind.OwnExport:
                var stored = await output.OpenReadAsync(ExportJobs.FileKey(source.ExportJobId!, source.FileName!), cancellationToken);
                return stored?.Content ?? throw new ImportSourceException($"export file '{source.FileName}' is gone (the export expired or was deleted).",
                    OperationOutcome.IssueType.NotFound);
            case ImportSource.Kind.Store:
                try
                {
                    var onStore = await output.TryOpenSourceAsync(source.Url, cancellationToken);
                    return onStore is null
                        ? throw new ImportSourceException("the object is no longer on this facade's store.", OperationOutcome.IssueType.NotFound)
                        : new StoreSourceStream(onStore.Content);
                }
                catch (StoreSourceException ex)
                {
                    throw new ImportSourceException(ex.Message, ex.Missing ? OperationOutcome.IssueType.NotFound : OperationOutcome.IssueType.Forbidden);
                }
                catch (Exception ex) when (ex is not (ImportSourceException or OperationCanceledException))
                {
                    // The SDK's own failure once its retries are spent: the input is opened again, like a broken HTTP read.
                    throw new IOException("the store could not be read: " + ex.Message, ex);
                }
            case ImportSource.Kind.LocalFile:
                try
                {
                    return new FileStream(source.LocalPath!, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0,
                        FileOptions.Asynchronous | FileOptions.SequentialScan);
                }
                catch (IOException ex)
                {
                    throw new ImportSourceException("the file could not be opened: " + ex.Message);
                }
            default:
                return await GetAsync(source.Url, cancellationToken);
        }
    }

    private async Task<Stream> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(ClientName);
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            var response = await SendWithRetriesAsync(client, url, cancellationToken);
            if ((int)response.StatusCode is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
            {
                response.Dispose();
                url = location.IsAbsoluteUri ? location : new Uri(url, location);
                if (await policy.CheckHostAsync(url, cancellationToken) is { } problem)
                {
                    throw new ImportSourceException($"redirected to {url.GetLeftPart(UriPartial.Authority)}, which is refused: {problem}",
                        OperationOutcome.IssueType.Forbidden);
                }
                continue;
            }
            if (!response.IsSuccessStatusCode)
            {
                response.Dispose();
                throw new ImportSourceException($"the source answered {(int)response.StatusCode} {response.ReasonPhrase}.", response.StatusCode switch
                {
                    HttpStatusCode.NotFound or HttpStatusCode.Gone => OperationOutcome.IssueType.NotFound,
                    HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => OperationOutcome.IssueType.Security,
                    _ => OperationOutcome.IssueType.Transient,
                });
            }
            return await response.Content.ReadAsStreamAsync(cancellationToken);
        }
        throw new ImportSourceException($"more than {MaxRedirects} redirects.");
    }

    /// <summary>A GET is safe to repeat: 429, 502–504 and network failures are retried, honouring Retry-After.</summary>
    private async Task<HttpResponseMessage> SendWithRetriesAsync(HttpClient client, Uri url, CancellationToken cancellationToken)
    {
        var budget = new RetryBudget(MaxAttempts - 1, SourceRetryBudget, TimeSpan.FromSeconds(1));
        while (true)
        {
            try
            {
                var response = await SendAsync(client, url, cancellationToken);
                if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
                        or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout)
                    || budget.Next(response, time) is not { } wait)
                {
                    return response;
                }
                response.Dispose();
                await Task.Delay(wait, time, cancellationToken);
            }
            catch (HttpRequestException ex) when (GuardedConnector.FindRefusal(ex) is { } refusal)
            {
                throw new ImportSourceException("refused: " + refusal.Message, OperationOutcome.IssueType.Forbidden);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (!await budget.WaitAsync(null, time, cancellationToken))
                {
                    throw new ImportSourceException(ex is OperationCanceledException
                        ? $"the source did not answer within {options.Value.FetchTimeoutSeconds} s."
                        : "the source could not be reached: " + ex.Message);
                }
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient client, Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/fhir+ndjson");
        request.Headers.Accept.ParseAdd("application/ndjson;q=0.9");
        request.Headers.Accept.ParseAdd("*/*;q=0.1");
        if (options.Value.BearerTokens.TryGetValue(PublicHost.ListedNameOf(url), out var token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        // The deadline covers the headers only: the body then streams for as long as the import takes.
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        headers.CancelAfter(TimeSpan.FromSeconds(options.Value.FetchTimeoutSeconds));
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
    }
}
