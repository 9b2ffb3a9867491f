using System.Text.Json;
using AsyncFacade.Server.Upstream;

namespace AsyncFacade.Server.Export.Paging;

/// <summary>
/// The pager's entry point for a search whose entries are history entries (`{type}/_history`, `_history`): DELETE entries
/// carry no resource, so they are not copied as resources but handed over page by page, parsed (history pages are small,
/// one held at a time). Next links are read and followed as in <see cref="SearchPager"/>, and failures are classified the
/// same way (4xx refused with the upstream's reason, 429/5xx/unreachable transient).
/// </summary>
internal sealed class HistoryPager(UpstreamClient upstream)
{
    // A history page of a thousand entries is well under this; more is not a page the facade should hold.
    private const int MaxPageBytes = 16 << 20;

    /// <returns>End when every page was handed over; otherwise Refused or Transient, with the pages before it handed over.</returns>
    public async Task<PageOutcome> ReadAllAsync(string firstUrl, Func<JsonElement, CancellationToken, Task> onPage, CancellationToken cancellationToken)
    {
        var cursor = SearchCursor.First;
        for (string? url = firstUrl; url is not null;)
        {
            using var response = await upstream.TryGetAsync(url, cancellationToken);
            if (response is null)
            {
                return new PageOutcome.Transient(url, "the upstream could not be reached", cursor);
            }
            var status = (int)response.StatusCode;
            if (status is >= 400 and < 500 and not 408 and not 429)
            {
                return new PageOutcome.Refused(url, status, await UpstreamRefusal.DescribeAsync(response, cancellationToken), cursor.Mode == CursorMode.First, cursor);
            }
            if (!response.IsSuccessStatusCode)
            {
                return new PageOutcome.Transient(url, $"the upstream answered {status} {response.ReasonPhrase}", cursor);
            }
            byte[] page;
            try
            {
                page = await ReadAsync(response, cancellationToken);
                using var json = JsonDocument.Parse(page);
                await onPage(json.RootElement, cancellationToken);
            }
            catch (Exception ex) when (ex is JsonException or IOException)
            {
                return new PageOutcome.Transient(url, "the upstream's history page was cut off or not JSON", cursor);
            }
            url = SearchUrls.RelativeToBase(upstream.BaseUrl, BundleLinkReader.NextLinkOf(page));
            cursor = cursor with { Mode = CursorMode.Link, Next = url };
        }
        return new PageOutcome.End(cursor with { Mode = CursorMode.End });
    }

    private async Task<byte[]> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await upstream.ReadBodyAsync(response, cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxPageBytes)
            {
                throw new IOException($"The history page is larger than {MaxPageBytes} bytes.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
