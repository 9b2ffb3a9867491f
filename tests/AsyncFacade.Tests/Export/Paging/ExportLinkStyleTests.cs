namespace AsyncFacade.Tests.Export.Paging;

/// <summary>
/// Issue 14, part G: the export in front of each server profile and each next-link style the sample upstream can give,
/// with small pages, exact by id. Links are followed as given: offset, `_page`, `ct` tokens, `_getpages` ids and links to
/// another path (Medplum's `MultipleTypes`).
/// </summary>
public sealed class ExportLinkStyleTests
{
    [Theory]
    [InlineData("SampleUpstream:Profile", "hapi")]
    [InlineData("SampleUpstream:Profile", "microsoft")]
    [InlineData("SampleUpstream:Profile", "firely")]
    [InlineData("SampleUpstream:Profile", "aidbox")]
    [InlineData("SampleUpstream:Paging:LinkStyle", "OtherPath")]
    [InlineData("SampleUpstream:Paging:LinkStyle", "Page")]
    [InlineData("SampleUpstream:Paging:LinkStyle", "ContinuationToken")]
    public async Task Every_profile_and_link_style_exports_exactly(string key, string value)
    {
        await using var export = QuirkedExport.Start(new Dictionary<string, string?>
        {
            ["SampleUpstream:Patients"] = "100",
            [key] = value,
            ["Export:PageSize"] = "100",
        });

        var manifest = await export.ExportAsync("/fhir/$export?_type=Patient,Observation", TimeSpan.FromSeconds(60));

        Assert.Empty(await export.ErrorsAsync(manifest));
        Assert.Equal(QuirkedExport.Generated("obs", 1200), await export.IdsAsync(manifest, "Observation"));
        Assert.Equal(QuirkedExport.Generated("pat", 100), await export.IdsAsync(manifest, "Patient"));
    }
}
