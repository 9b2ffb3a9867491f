using System.Text.Json;
using AsyncFacade.Server.Upstream;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Splits a large type into `_lastUpdated` slices of about Export:SliceSize resources, so its pages are fetched by
/// several units at once. Needs the upstream to count (`_total=accurate`, only asked where advertised) and to sort
/// by `_lastUpdated` (for the oldest resource); without either the type stays one unit. Slices are equal spans of
/// time, and a slice that still counts far too many (data bunched in time) is split again. The slices cover the
/// window without gaps or overlap: each is (after, upTo], in whole milliseconds.
/// </summary>
internal sealed class TimeSlicer(UpstreamClient upstream, IOptions<ExportOptions> options)
{
    private const int MaxSlices = 256;
    private const int MaxDepth = 2;

    public sealed record Slice(DateTimeOffset? After, DateTimeOffset UpTo, long? Count);

    /// <param name="sliceSize">Resources per slice; unless given, Export:SliceSize, or less (not under Export:MinSliceSize) so a type fills MaxParallelism units.</param>
    /// <param name="bySummary">Count with `_summary=count` (the upstream does not advertise `_total`; the count is only tried).</param>
    public async Task<IReadOnlyList<Slice>> SliceAsync(string type, string filter, DateTimeOffset? after, DateTimeOffset upTo, CancellationToken cancellationToken,
        long? sliceSize = null, bool bySummary = false)
    {
        var whole = new Slice(after, upTo, await CountAsync(type, filter, after, upTo, cancellationToken, bySummary));
        if (whole.Count is not { } count)
        {
            return [whole];
        }
        // Up to MaxParallelism slices of at least MinSliceSize even below SliceSize (see ExportOptions.MinSliceSize).
        var parallel = Math.Max(options.Value.MinSliceSize, (long)Math.Ceiling(count / (double)options.Value.MaxParallelism));
        var size = sliceSize ?? Math.Min(options.Value.SliceSize, parallel);
        if (count <= size)
        {
            return [whole];
        }
        // Without `_since` the first slice stays open below; the oldest resource only tells where to divide time.
        var start = after ?? await OldestAsync(type, filter, upTo, cancellationToken);
        return start is null ? [whole] : await SplitAsync(type, filter, whole, start.Value.AddMilliseconds(-1), 0, size, bySummary, cancellationToken) ?? [whole];
    }

    /// <returns>The slices, or null when a count failed (then the type is not split at all).</returns>
    private async Task<List<Slice>?> SplitAsync(string type, string filter, Slice slice, DateTimeOffset from, int depth, long size, bool bySummary,
        CancellationToken cancellationToken)
    {
        var parts = (int)Math.Min(MaxSlices, Math.Ceiling(slice.Count!.Value / (double)size));
        var span = (slice.UpTo - from).Ticks / parts;
        if (span < TimeSpan.TicksPerMillisecond)
        {
            return [slice];
        }
        var result = new List<Slice>();
        var after = slice.After;
        for (var i = 1; i <= parts; i++)
        {
            var upTo = i == parts ? slice.UpTo : Whole(from.AddTicks(span * i));
            var count = await CountAsync(type, filter, after, upTo, cancellationToken, bySummary);
            if (count is null)
            {
                return null;
            }
            var part = new Slice(after, upTo, count);
            if (count > 2L * size && depth < MaxDepth)
            {
                var finer = await SplitAsync(type, filter, part, after ?? from, depth + 1, size, bySummary, cancellationToken);
                if (finer is null)
                {
                    return null;
                }
                result.AddRange(finer);
            }
            else if (count > 0)
            {
                // An empty slice stays empty: nothing can be added before the transaction time any more.
                result.Add(part);
            }
            after = upTo;
        }
        return result;
    }

    private static DateTimeOffset Whole(DateTimeOffset value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMillisecond), value.Offset);

    /// <summary>`Bundle.total` of the search with no entries (`_count=0`), or null when the upstream does not answer it.</summary>
    public async Task<long?> CountAsync(string type, string filter, DateTimeOffset? after, DateTimeOffset upTo, CancellationToken cancellationToken,
        bool bySummary = false)
    {
        using var page = await GetAsync(Paging.SearchUrls.Count(ExportPlan.Search(type, filter, after, upTo, 0), bySummary), cancellationToken);
        return page is not null && page.RootElement.TryGetProperty("total", out var total) && total.TryGetInt64(out var value) ? value : null;
    }

    private async Task<DateTimeOffset?> OldestAsync(string type, string filter, DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        using var page = await GetAsync(ExportPlan.Search(type, filter, null, upTo, 1) + "&_sort=_lastUpdated", cancellationToken);
        if (page is null || !page.RootElement.TryGetProperty("entry", out var entries) || entries.GetArrayLength() == 0)
        {
            return null;
        }
        return entries[0].TryGetProperty("resource", out var resource) && resource.TryGetProperty("meta", out var meta) &&
               meta.TryGetProperty("lastUpdated", out var lastUpdated) && DateTimeOffset.TryParse(lastUpdated.GetString(), out var value)
            ? value
            : null;
    }

    /// <summary>A small page (no entries, or one): parsed whole. Null when the upstream refuses or fails.</summary>
    private async Task<JsonDocument?> GetAsync(string url, CancellationToken cancellationToken) =>
        (await upstream.GetJsonAsync(url, cancellationToken)).Json;
}
