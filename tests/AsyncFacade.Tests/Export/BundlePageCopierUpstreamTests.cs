using System.Text;
using System.Text.Json;
using AsyncFacade.Server.Export;
using AsyncFacade.Tests.SampleUpstream;

namespace AsyncFacade.Tests.Export;

/// <summary>The copier against the pages the sample upstream really serves over HTTP, following next links to the end.</summary>
public sealed class BundlePageCopierUpstreamTests(DefaultUpstreamFixture fixture) : IClassFixture<DefaultUpstreamFixture>
{
    [Fact]
    public async Task Every_Patient_page_of_the_sample_upstream_becomes_one_line_per_patient()
    {
        var ct = TestContext.Current.CancellationToken;
        using var output = new MemoryStream();
        string? url = "Patient?_count=128&_total=accurate";
        int? total = null;
        var copied = 0;
        var pages = 0;
        while (url is not null)
        {
            using var response = await fixture.Host.Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            var page = await BundlePageCopier.CopyAsync(body, output, "Patient", ct);
            total ??= page.Total;
            copied += page.Copied;
            pages++;
            url = page.NextUrl;
        }

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var ids = new HashSet<string>();
        foreach (var line in lines)
        {
            using var resource = JsonDocument.Parse(line);
            Assert.Equal("Patient", resource.RootElement.GetProperty("resourceType").GetString());
            Assert.True(ids.Add(resource.RootElement.GetProperty("id").GetString()!));
        }
        Assert.Equal(DefaultUpstreamFixture.Patients, total);
        Assert.Equal(DefaultUpstreamFixture.Patients, copied);
        Assert.Equal(DefaultUpstreamFixture.Patients, ids.Count);
        Assert.True(pages > 1);
    }

    [Fact]
    public async Task An_upstream_error_is_rejected_as_a_page()
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await fixture.Host.Client.GetAsync("Patient?unknown-parameter=1&_count=abc", HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.False(response.IsSuccessStatusCode);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        using var output = new MemoryStream();

        var ex = await Assert.ThrowsAsync<BundlePageException>(() => BundlePageCopier.CopyAsync(body, output, "Patient", ct));

        Assert.Contains("OperationOutcome", ex.Message);
        Assert.Equal(0, output.Length);
    }
}
