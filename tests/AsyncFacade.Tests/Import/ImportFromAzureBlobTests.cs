using System.Net;
using System.Text;
using AsyncFacade.Tests.Infrastructure;
using AsyncFacade.Tests.SampleUpstream;
using Azure.Storage.Blobs;
using static AsyncFacade.Tests.Import.ImportCalls;

namespace AsyncFacade.Tests.Import;

/// <summary>
/// `$import` on a facade whose output store is Azure Blob (the Azurite test.sh starts): sources in a container listed in
/// Storage:Azure:ImportContainers are read by the store with the facade's credentials, by az:// URI or by the blob's own
/// URL, with no Import:AllowedHosts entry; other containers, the output container and other providers' URIs are refused.
/// The same host shows readiness and the CapabilityStatement naming the store.
/// </summary>
public sealed class ImportFromAzureBlobTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly string prefix = "azimp-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string imports = TestAzurite.NewContainer("imports");
    private readonly string unlisted = TestAzurite.NewContainer("unlisted");
    private readonly string output = TestAzurite.NewContainer("output");
    private readonly BlobServiceClient blobs = new(TestAzurite.ConnectionString);
    private SampleUpstreamHost target = null!;
    private FacadeApplication facade = null!;
    private HttpClient http = null!;

    public async ValueTask InitializeAsync()
    {
        await blobs.CreateBlobContainerAsync(imports, cancellationToken: ct);
        await blobs.CreateBlobContainerAsync(unlisted, cancellationToken: ct);
        target = await SampleUpstreamHost.StartAsync(0, seed: 1, ct);
        facade = new FacadeApplication(new Dictionary<string, string?>
        {
            ["Upstream:BaseUrl"] = target.BaseUrl,
            ["Storage:Provider"] = "azureblob",
            ["Storage:Azure:ConnectionString"] = TestAzurite.ConnectionString,
            ["Storage:Azure:Container"] = output,
            ["Storage:Azure:ImportContainers:0"] = imports,
            ["Storage:Azure:ImportContainers:1"] = output, // listed, yet the facade's own output is never a source
            ["Storage:SignedLinks"] = "true", // for the CapabilityStatement's sake: imports read the same either way
            ["Import:BatchSize"] = "25",
        }).Start();
        http = facade.CreateRawClient();
    }

    public async ValueTask DisposeAsync()
    {
        http?.Dispose();
        await facade.DisposeAsync();
        await target.DisposeAsync();
        foreach (var name in new[] { imports, unlisted, output })
        {
            await blobs.GetBlobContainerClient(name).DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
        }
    }

    [Fact]
    public async Task Blobs_in_a_listed_container_import_by_az_uri_and_by_their_own_url_without_an_allowed_host()
    {
        await UploadAsync(imports, $"{prefix}/by-uri.ndjson", Patients($"{prefix}-a", 60));
        var byUrl = await UploadAsync(imports, $"{prefix}/by-url.ndjson", Patients($"{prefix}-b", 40));

        var (_, manifest) = await ImportAsync(http, Parameters(("Patient", $"az://{imports}/{prefix}/by-uri.ndjson"), ("Patient", byUrl.AbsoluteUri)));

        var outputs = manifest.GetProperty("output").EnumerateArray().ToList();
        Assert.Equal([60L, 40], outputs.Select(o => o.GetProperty("count").GetInt64()));
        Assert.Equal([$"az://{imports}/{prefix}/by-uri.ndjson", byUrl.AbsoluteUri], outputs.Select(o => o.GetProperty("inputUrl").GetString()));
        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await target.Client.GetAsync($"Patient/{prefix}-a-59", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await target.Client.GetAsync($"Patient/{prefix}-b-39", ct)).StatusCode);
    }

    [Fact]
    public async Task Unlisted_containers_the_output_container_missing_blobs_and_s3_uris_are_refused_with_400_naming_the_input()
    {
        var elsewhere = await UploadAsync(unlisted, $"{prefix}/p.ndjson", Patients($"{prefix}-c", 3));
        await UploadAsync(output, $"{prefix}/files/Patient-1.ndjson", Patients($"{prefix}-d", 3));

        await RefusedAsync($"az://{unlisted}/{prefix}/p.ndjson", $"is on this facade's azureblob store but cannot be read: The container '{unlisted}' is not one this server imports from");
        await RefusedAsync(elsewhere.AbsoluteUri, $"The container '{unlisted}' is not one this server imports from");
        await RefusedAsync($"az://{output}/{prefix}/files/Patient-1.ndjson", $"The container '{output}' is not one this server imports from");
        await RefusedAsync($"az://{imports}/{prefix}/missing.ndjson", "is not on this facade's azureblob store: ", "not-found");
        await RefusedAsync($"s3://{imports}/{prefix}/p.ndjson", "is an s3:// URL, which is not on this facade's store (Storage:Provider is azureblob)");
        Assert.Equal(HttpStatusCode.NotFound, (await target.Client.GetAsync($"Patient/{prefix}-c-0", ct)).StatusCode);
    }

    [Fact]
    public async Task Readiness_and_the_CapabilityStatement_name_the_azureblob_store_and_its_signed_links()
    {
        var ready = await FhirAssert.JsonAsync(await http.GetAsync("/health/ready", ct));
        var storage = ready.GetProperty("checks").GetProperty("storage");
        Assert.Equal("Healthy", storage.GetProperty("status").GetString());
        Assert.Equal("azureblob", storage.GetProperty("data").GetProperty("provider").GetString());

        var metadata = await FhirAssert.JsonAsync(await http.GetAsync("/fhir/metadata", ct));
        var extension = Assert.Single(metadata.GetProperty("extension").EnumerateArray(),
            e => e.GetProperty("url").GetString() == AsyncFacade.Server.Metadata.StorageCapabilities.ExtensionUrl);
        var parts = extension.GetProperty("extension").EnumerateArray().ToDictionary(e => e.GetProperty("url").GetString()!);
        Assert.Equal("azureblob", parts["provider"].GetProperty("valueCode").GetString());
        Assert.True(parts["signedLinks"].GetProperty("valueBoolean").GetBoolean());
        Assert.Contains("Output storage: azureblob. Manifests list signed links", metadata.GetProperty("rest")[0].GetProperty("documentation").GetString());
    }

    private async Task RefusedAsync(string url, string reason, string code = "forbidden")
    {
        using var response = await http.SendAsync(KickOff(Parameters(("Patient", url))), ct);
        var outcome = await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.BadRequest, code);
        var diagnostics = outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString();
        Assert.StartsWith("input[0].url: ", diagnostics);
        Assert.Contains(reason, diagnostics);
        Assert.Null(response.Content.Headers.ContentLocation);
    }

    private async Task<Uri> UploadAsync(string container, string name, IEnumerable<string> lines)
    {
        // The output container appears with the facade's first write: made here for the object planted in it.
        await blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: ct);
        var blob = blobs.GetBlobContainerClient(container).GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromString(string.Join('\n', lines) + "\n"), overwrite: true, ct);
        return blob.Uri;
    }
}
