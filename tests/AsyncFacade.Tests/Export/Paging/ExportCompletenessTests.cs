using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Export.Paging;

/// <summary>
/// Issue 14, case 3 and part A: a type the upstream lists but will not search is one terminal error line, and a shortfall
/// the pager cannot recover is an `incomplete` error line with the counts, said in X-Progress too: an export that is
/// known to be incomplete never looks complete.
/// </summary>
public sealed class ExportCompletenessTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_type_listed_but_refusing_search_is_one_terminal_error_line_with_the_upstreams_reason()
    {
        // Medplum lists search-type on Binary and answers 400 "Cannot search on Binary resource type".
        await using var export = QuirkedExport.Start(new Dictionary<string, string?>
        {
            ["SampleUpstream:Patients"] = "10",
            ["SampleUpstream:Profile"] = "medplum",
        });

        var manifest = await export.ExportAsync("/fhir/$export?_type=Binary,Patient", Deadline);

        var error = Assert.Single(await export.ErrorsAsync(manifest));
        var issue = error.GetProperty("issue")[0];
        Assert.Equal("not-supported", issue.GetProperty("code").GetString());
        Assert.Equal("Binary", issue.GetProperty("expression")[0].GetString());
        Assert.Contains("Cannot search on Binary", issue.GetProperty("diagnostics").GetString());
        Assert.Equal(QuirkedExport.Generated("pat", 10), await export.IdsAsync(manifest, "Patient"));
        Assert.Null(export.FinalProgress);
    }

    [Fact]
    public async Task A_shortfall_that_cannot_be_recovered_is_an_incomplete_error_line_with_both_counts()
    {
        // 600 Observations share each millisecond and offset links stop past 300 (pages of 100): neither the server's
        // links nor a _lastUpdated bound can get past the first 400 rows of that millisecond. 100 patients: 1,200 Observations.
        await using var export = QuirkedExport.Start(new Dictionary<string, string?>
        {
            ["SampleUpstream:Patients"] = "100",
            ["SampleUpstream:Paging:LinkStyle"] = "Offset",
            ["SampleUpstream:Paging:MaxOffset"] = "300",
            ["SampleUpstream:Paging:LastUpdatedBurst"] = "600",
            ["Export:PageSize"] = "100",
        });

        var manifest = await export.ExportAsync("/fhir/$export?_type=Observation", Deadline);

        var error = Assert.Single(await export.ErrorsAsync(manifest));
        var issue = error.GetProperty("issue")[0];
        Assert.Equal("incomplete", issue.GetProperty("code").GetString());
        Assert.Equal("Observation", issue.GetProperty("expression")[0].GetString());
        var diagnostics = issue.GetProperty("diagnostics").GetString()!;
        Assert.Contains("counts 1200", diagnostics);
        Assert.Contains("400 were exported", diagnostics);
        Assert.Contains("_lastUpdated le", diagnostics);
        Assert.Equal(400, (await export.IdsAsync(manifest, "Observation")).Count);
        Assert.Equal("completed, incomplete: 800 resources the upstream counts are missing (see error[])", export.FinalProgress);
    }

    [Fact]
    public async Task A_count_the_upstream_advertises_but_does_not_give_leaves_the_export_unverified_not_failed()
    {
        // `_total` listed in the CapabilityStatement, never answered: nothing can be checked, and that is no error.
        await using var export = QuirkedExport.Start(new Dictionary<string, string?>
        {
            ["SampleUpstream:Patients"] = "100",
            ["SampleUpstream:Paging:Total"] = "Never",
            ["SampleUpstream:Paging:AdvertiseTotal"] = "true",
        });

        var manifest = await export.ExportAsync("/fhir/$export?_type=Observation", Deadline);

        Assert.Empty(await export.ErrorsAsync(manifest));
        Assert.Null(export.FinalProgress);
        Assert.Equal(QuirkedExport.Generated("obs", 1200), await export.IdsAsync(manifest, "Observation"));
    }
}
