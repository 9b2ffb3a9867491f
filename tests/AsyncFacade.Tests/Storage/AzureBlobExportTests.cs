using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace AsyncFacade.Tests.Storage;

/// <summary>
/// $export end to end on Azurite: with Storage:SignedLinks the manifest's URLs are SAS links a plain client downloads
/// without a token; without, the facade serves the blobs itself (Range, gzip). DELETE removes the job's blobs.
/// </summary>
public sealed class AzureBlobExportTests(AzureBlobSignedLinksFacade signed, AzureBlobFacadeUrlsFacade facade)
    : IClassFixture<AzureBlobSignedLinksFacade>, IClassFixture<AzureBlobFacadeUrlsFacade>
{
    // Patient and Observation files, plus an error file (Organization is outside the patient compartment).
    private const string KickOff = "/fhir/Patient/$export?_type=Patient,Observation,Organization";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_signed_links_every_manifest_url_downloads_from_storage_without_a_token_and_matches_the_facade()
    {
        using var http = signed.CreateClient();
        var (status, manifest) = await ExportAsync(http);

        Assert.False(manifest.GetProperty("requiresAccessToken").GetBoolean());
        var files = Files(manifest);
        Assert.Contains(files, f => f.Type == "Patient");
        Assert.Contains(files, f => f.Type == "OperationOutcome");
        using var plain = new HttpClient();
        var blobEndpoint = new BlobServiceClient(TestAzurite.ConnectionString).Uri;
        foreach (var (_, url) in files)
        {
            Assert.StartsWith(blobEndpoint.ToString(), url, StringComparison.Ordinal);
            Assert.Contains("sig=", url, StringComparison.Ordinal);
            using var response = await plain.GetAsync(url, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var fromStorage = await response.Content.ReadAsByteArrayAsync(ct);
            var name = new Uri(url).AbsolutePath.Split('/')[^1];
            Assert.Equal(await http.GetByteArrayAsync($"{status}/files/{name}", ct), fromStorage);
        }
    }

    [Fact]
    public async Task Deleting_the_job_removes_its_blobs()
    {
        using var http = signed.CreateClient();
        var (status, _) = await ExportAsync(http);
        var jobId = new Uri(status).AbsolutePath.Split('/')[^1];
        var container = new BlobServiceClient(TestAzurite.ConnectionString).GetBlobContainerClient(signed.Container);
        Assert.NotEmpty(await BlobsAsync(container, $"jobs/{jobId}/"));

        using var deleted = await http.DeleteAsync(status, ct);

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        await Eventually.WaitForAsync(() => BlobsAsync(container, $"jobs/{jobId}/"), blobs => blobs.Count == 0, what: "the job's blobs to be deleted");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(status, ct)).StatusCode);
    }

    [Fact]
    public async Task Without_signed_links_the_facade_serves_the_blobs_with_ranges_and_gzip()
    {
        using var http = facade.CreateClient();
        var (status, manifest) = await ExportAsync(http);

        var files = Files(manifest);
        Assert.All(files, f => Assert.StartsWith($"{status}/files/", f.Url, StringComparison.Ordinal));
        var url = files.First(f => f.Type == "Observation").Url;
        var whole = await http.GetByteArrayAsync(url, ct);
        var jobId = new Uri(status).AbsolutePath.Split('/')[^1];
        var blob = new BlobServiceClient(TestAzurite.ConnectionString).GetBlobContainerClient(facade.Container)
            .GetBlobClient($"jobs/{jobId}/files/{new Uri(url).AbsolutePath.Split('/')[^1]}");
        Assert.Equal((await blob.DownloadContentAsync(ct)).Value.Content.ToArray(), whole);

        using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Range = new RangeHeaderValue(100, 199);
        using var part = await http.SendAsync(ranged, ct);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal($"bytes 100-199/{whole.Length}", part.Content.Headers.ContentRange!.ToString());
        Assert.Equal(whole[100..200], await part.Content.ReadAsByteArrayAsync(ct));

        using var gzipped = new HttpRequestMessage(HttpMethod.Get, url);
        gzipped.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var compressed = await http.SendAsync(gzipped, ct);
        Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
        Assert.Equal("gzip", Assert.Single(compressed.Content.Headers.ContentEncoding));
        await using var unzip = new GZipStream(await compressed.Content.ReadAsStreamAsync(ct), CompressionMode.Decompress);
        using var copy = new MemoryStream();
        await unzip.CopyToAsync(copy, ct);
        Assert.Equal(whole, copy.ToArray());
    }

    private async Task<(string Status, JsonElement Manifest)> ExportAsync(HttpClient http)
    {
        var client = new AsyncClient(http);
        using var request = new HttpRequestMessage(HttpMethod.Get, KickOff);
        request.Headers.TryAddWithoutValidation("Accept", "application/fhir+json");
        var status = await client.KickOffAsync(request);
        using var done = await client.WaitAsync(status, TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        return (status, await FhirAssert.JsonAsync(done));
    }

    private static List<(string Type, string Url)> Files(JsonElement manifest) =>
        [.. manifest.GetProperty("output").EnumerateArray().Concat(manifest.GetProperty("error").EnumerateArray())
            .Select(f => (f.GetProperty("type").GetString()!, f.GetProperty("url").GetString()!))];

    private async Task<List<string>> BlobsAsync(BlobContainerClient container, string prefix)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, States = BlobStates.Uncommitted }, ct))
        {
            names.Add(blob.Name);
        }
        return names;
    }
}
