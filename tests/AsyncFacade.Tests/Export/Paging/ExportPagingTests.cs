using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Export.Paging;

/// <summary>
/// Issue 14, case 1 and part B: export paging in front of upstreams that page the way production servers do (offset caps
/// answering 400, expiring page caches, silently capped `_count`, many rows in one millisecond). Every test compares the
/// exported ids with the upstream's generated ids: none missing, none twice.
/// </summary>
public sealed class ExportPagingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private static Dictionary<string, string?> Upstream(int patients, params (string Key, string Value)[] quirks)
    {
        var settings = new Dictionary<string, string?> { ["SampleUpstream:Patients"] = patients.ToString() };
        foreach (var (key, value) in quirks)
        {
            settings[key] = value;
        }
        return settings;
    }

    [Fact]
    public async Task A_type_larger_than_Medplums_offset_cap_is_exported_exactly()
    {
        // Medplum: offset links capped at 10,000 unless sorted by _lastUpdated (then cursor links). 1,000 patients: 12,000 Observations.
        await using var export = QuirkedExport.Start(Upstream(1000, ("SampleUpstream:Profile", "medplum")));

        var manifest = await export.ExportAsync("/fhir/$export?_type=Observation", Deadline);

        Assert.Empty(await export.ErrorsAsync(manifest));
        Assert.Equal(QuirkedExport.Generated("obs", 12_000), await export.IdsAsync(manifest, "Observation"));
    }

    [Fact]
    public async Task Medplums_cursor_that_fails_to_make_progress_in_a_crowded_millisecond_is_worked_around_exactly()
    {
        // 1,500 Observations share each millisecond, more than a page of 1,000: Medplum's sorted cursor answers 500
        // "Cursor fails to make progress"; the pager finds that millisecond and pages it alone (offset links, under the cap).
        // 12,000 in all: past the offset cap, so unsorted paging is no way out either.
        // Each 500 is retried by the upstream pipeline first (it cannot tell this 500 from a passing one): short back-offs here.
        await using var export = QuirkedExport.Start(Upstream(1000, ("SampleUpstream:Profile", "medplum"), ("SampleUpstream:Paging:LastUpdatedBurst", "1500"),
            ("Upstream:RetryDelayMilliseconds", "20")));

        var manifest = await export.ExportAsync("/fhir/$export?_type=Observation", Deadline);

        Assert.Empty(await export.ErrorsAsync(manifest));
        Assert.Equal(QuirkedExport.Generated("obs", 12_000), await export.IdsAsync(manifest, "Observation"));
    }

    [Fact]
    public async Task Fifty_thousand_resources_through_an_offset_cap_of_ten_thousand_are_exported_exactly()
    {
        // No cursor links at all: every 11,000 rows the next link answers 400 and the pager re-queries from the last
        // _lastUpdated it wrote. One unit (no time slices), so it crosses the cap four times. 4,200 patients: 50,400 Observations.
        await using var export = QuirkedExport.Start(Upstream(4200,
            ("SampleUpstream:Paging:LinkStyle", "Offset"), ("SampleUpstream:Paging:MaxOffset", "10000"), ("Export:SliceSize", "1000000"), ("Export:MinSliceSize", "1000000")));

        var manifest = await export.ExportAsync("/fhir/$export?_type=Observation", Deadline);

        Assert.Empty(await export.ErrorsAsync(manifest));
        Assert.Equal(QuirkedExport.Generated("obs", 50_400), await export.IdsAsync(manifest, "Observation"));
    }

    [Fact]
    public async Task An_expired_page_cache_mid_export_is_recovered_without_loss_or_duplicates()
    {
        // HAPI: _getpages links into a search cache that expires (410 Gone); pages slow enough that it expires midway.
        await using var export = QuirkedExport.Start(Upstream(100,
            ("SampleUpstream:Paging:LinkStyle", "PageCache"), ("SampleUpstream:Paging:PageCacheSeconds", "1"),
            ("SampleUpstream:LatencyMilliseconds", "250"), ("Export:PageSize", "100")));

        var manifest = await export.ExportAsync("/fhir/$export?_type=Observation", Deadline);

        Assert.Empty(await export.ErrorsAsync(manifest));
        Assert.Equal(QuirkedExport.Generated("obs", 1200), await export.IdsAsync(manifest, "Observation"));
    }

    [Fact]
    public async Task A_millisecond_holding_more_rows_than_a_page_is_exported_whole()
    {
        // 250 Observations share each millisecond, pages hold 100, and offset links stop past 300: a re-query from a
        // _lastUpdated bound lands inside a burst it has partly written.
        await using var export = QuirkedExport.Start(Upstream(100,
            ("SampleUpstream:Paging:LinkStyle", "Offset"), ("SampleUpstream:Paging:MaxOffset", "300"),
            ("SampleUpstream:Paging:LastUpdatedBurst", "250"), ("Export:PageSize", "100")));

        var manifest = await export.ExportAsync("/fhir/$export?_type=Observation", Deadline);

        Assert.Empty(await export.ErrorsAsync(manifest));
        Assert.Equal(QuirkedExport.Generated("obs", 1200), await export.IdsAsync(manifest, "Observation"));
    }

    [Fact]
    public async Task A_count_cap_silently_applied_is_honoured_through_an_offset_cap()
    {
        // Asked _count=1000, given 20 a page; offset links stop past 500.
        await using var export = QuirkedExport.Start(Upstream(100,
            ("SampleUpstream:MaxPageSize", "20"), ("SampleUpstream:DefaultPageSize", "20"), ("SampleUpstream:Paging:LinkStyle", "Offset"), ("SampleUpstream:Paging:MaxOffset", "500")));

        var manifest = await export.ExportAsync("/fhir/$export?_type=Observation", Deadline);

        Assert.Empty(await export.ErrorsAsync(manifest));
        Assert.Equal(QuirkedExport.Generated("obs", 1200), await export.IdsAsync(manifest, "Observation"));
    }
}
