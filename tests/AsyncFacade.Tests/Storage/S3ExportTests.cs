using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using AsyncFacade.Server.Storage.S3;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Storage;

/// <summary>A whole $export through a facade on Storage:Provider=s3 (s3rver), files downloaded through the facade.</summary>
public sealed class S3ExportTests(S3TestBucket bucket) : IClassFixture<S3TestBucket>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_export_on_s3_downloads_through_the_facade_with_ranges_and_DELETE_removes_its_objects()
    {
        var settings = bucket.Settings();
        settings["SampleUpstream:Patients"] = "5";
        await using var app = new FacadeApplication(settings).Start();
        var http = app.CreateRawClient();
        var client = new AsyncClient(http);

        var status = await client.KickOffAsync("/fhir/$export?_type=Patient,Observation");
        using var done = await client.WaitAsync(status, TimeSpan.FromSeconds(60));
        var manifest = await FhirAssert.JsonAsync(done);
        var jobId = new Uri(status).Segments[^1];
        var outputs = manifest.GetProperty("output").EnumerateArray().ToList();
        Assert.Equal(["Observation", "Patient"], outputs.Select(o => o.GetProperty("type").GetString()).Order());
        Assert.Empty(manifest.GetProperty("error").EnumerateArray());

        var lines = 0;
        foreach (var output in outputs)
        {
            var url = output.GetProperty("url").GetString()!;
            Assert.StartsWith(app.ServerAddress.ToString(), url); // SignedLinks off: the facade serves the file
            var whole = await http.GetByteArrayAsync(url, ct);
            var text = System.Text.Encoding.UTF8.GetString(whole);
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var resource = JsonDocument.Parse(line);
                Assert.Equal(output.GetProperty("type").GetString(), resource.RootElement.GetProperty("resourceType").GetString());
                lines++;
            }
            Assert.Equal(output.GetProperty("count").GetInt32(), text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

            using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
            ranged.Headers.Range = new RangeHeaderValue(10, 49);
            using var partial = await http.SendAsync(ranged, ct);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal(whole[10..50], await partial.Content.ReadAsByteArrayAsync(ct));
        }
        Assert.Equal(5 + 5 * 12, lines);
        Assert.NotEmpty(await KeysAsync(jobId));

        Assert.Equal(HttpStatusCode.Accepted, (await http.DeleteAsync(status, ct)).StatusCode);

        await Eventually.WaitForAsync(() => KeysAsync(jobId), keys => keys.Count == 0, TimeSpan.FromSeconds(15), $"the objects under {jobId}/ to go");
        await FhirAssert.OperationOutcomeAsync(await http.GetAsync(outputs[0].GetProperty("url").GetString(), ct), HttpStatusCode.NotFound, "not-found");
    }

    private async Task<List<string>> KeysAsync(string jobId)
    {
        using var client = S3ClientFactory.Create(bucket.Options().S3);
        var page = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket.Name, Prefix = jobId + "/" }, ct);
        return [.. (page.S3Objects ?? []).Select(o => o.Key)];
    }
}
