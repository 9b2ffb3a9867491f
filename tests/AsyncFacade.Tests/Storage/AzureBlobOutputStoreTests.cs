using System.Net;
using System.Text;
using AsyncFacade.Server.Storage;
using AsyncFacade.Server.Storage.AzureBlob;
using AsyncFacade.Tests.Infrastructure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Tests.Storage;

/// <summary>
/// The contract against Azurite through the real SDK, plus what only Azure has: SAS links, block generations, import
/// containers and the options check. One container for the whole class (each test uses its own job prefix).
/// </summary>
public sealed class AzureBlobOutputStoreTests : OutputStoreContract
{
    private static readonly string Container = TestAzurite.NewContainer("contract");
    private static readonly string ImportContainer = TestAzurite.NewContainer("imports");

    public AzureBlobOutputStoreTests() => Store = CreateStore(signedLinks: true);

    protected override IOutputStore Store { get; }

    private static AzureBlobOutputStore CreateStore(bool signedLinks, string prefix = "") =>
        new(Options.Create(new StorageOptions
        {
            Provider = StorageProvider.AzureBlob,
            SignedLinks = signedLinks,
            Azure = new AzureBlobStorageOptions
            {
                ConnectionString = TestAzurite.ConnectionString,
                Container = Container,
                Prefix = prefix,
                ImportContainers = [ImportContainer, Container],
            },
        }), TimeProvider.System, NullLogger<AzureBlobOutputStore>.Instance);

    [Fact]
    public async Task A_signed_link_downloads_with_a_plain_client_until_it_expires_and_not_when_tampered_with()
    {
        var job = NewJob();
        await WriteAsync($"{job}/Patient-1.ndjson", "{\"resourceType\":\"Patient\"}\n", commit: true);
        using var http = new HttpClient();

        var link = await Store.GetReadLinkAsync($"{job}/Patient-1.ndjson", DateTimeOffset.UtcNow.AddHours(1), ct);
        Assert.NotNull(link);
        using (var response = await http.GetAsync(link, ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("{\"resourceType\":\"Patient\"}\n", await response.Content.ReadAsStringAsync(ct));
        }

        var expired = await Store.GetReadLinkAsync($"{job}/Patient-1.ndjson", DateTimeOffset.UtcNow.AddMinutes(-1), ct);
        using (var response = await http.GetAsync(expired, ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        // The same signature for another blob, and a signature with one character changed.
        await WriteAsync($"{job}/Patient-2.ndjson", "other\n", commit: true);
        var otherBlob = new Uri(link.ToString().Replace("Patient-1", "Patient-2", StringComparison.Ordinal));
        var signature = link.Query.Split('&').Single(p => p.StartsWith("sig=", StringComparison.Ordinal) || p.StartsWith("?sig=", StringComparison.Ordinal));
        var forged = new Uri(link.ToString().Replace(signature, signature[..^4] + (signature.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA"), StringComparison.Ordinal));
        foreach (var tampered in new[] { otherBlob, forged })
        {
            using var response = await http.GetAsync(tampered, ct);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Fact]
    public async Task Without_SignedLinks_the_store_hands_out_no_links()
    {
        var job = NewJob();
        await WriteAsync($"{job}/a.ndjson", "a\n", commit: true);

        Assert.Null(await CreateStore(signedLinks: false).GetReadLinkAsync($"{job}/a.ndjson", DateTimeOffset.UtcNow.AddHours(1), ct));
    }

    [Fact]
    public async Task A_resume_at_a_length_no_block_boundary_reaches_gives_null()
    {
        var job = NewJob();
        await using (var writer = await Store.CreateAsync($"{job}/a.ndjson", ct))
        {
            await writer.Content.WriteAsync("abc"u8.ToArray(), ct);
            await writer.Content.FlushAsync(ct);
            await writer.Content.WriteAsync("def"u8.ToArray(), ct);
            await writer.Content.FlushAsync(ct);
            await writer.SuspendAsync(ct);
        }

        Assert.Null(await Store.ResumeAsync($"{job}/a.ndjson", 4, ct)); // inside the second block
        await using var atBoundary = await Store.ResumeAsync($"{job}/a.ndjson", 3, ct);
        Assert.NotNull(atBoundary);
    }

    [Fact]
    public async Task A_later_generation_supersedes_the_blocks_a_crashed_run_staged_after_its_checkpoint()
    {
        var job = NewJob();
        var key = $"{job}/Observation-1.ndjson";
        // Run 1 checkpoints after "a\n", stages a stale line and dies (never disposed, as after kill -9).
        var first = await Store.CreateAsync(key, ct);
        await first.Content.WriteAsync("a\n"u8.ToArray(), ct);
        await first.Content.FlushAsync(ct);
        var checkpoint1 = first.Length;
        await first.Content.WriteAsync("stale from run 1\n"u8.ToArray(), ct);
        await first.Content.FlushAsync(ct);

        // Run 2 resumes there, checkpoints after "b\n" (a block at the same offset as run 1's stale one), stages more and dies.
        var second = await Store.ResumeAsync(key, checkpoint1, ct);
        Assert.NotNull(second);
        await second.Content.WriteAsync("b\n"u8.ToArray(), ct);
        await second.Content.FlushAsync(ct);
        var checkpoint2 = second.Length;
        await second.Content.WriteAsync("stale from run 2, longer than the first\n"u8.ToArray(), ct);
        await second.Content.FlushAsync(ct);

        await using (var third = await Store.ResumeAsync(key, checkpoint2, ct))
        {
            Assert.NotNull(third);
            Assert.Equal(4, third.Length);
            await third.Content.WriteAsync("c\n"u8.ToArray(), ct);
            await third.CommitAsync(ct);
        }

        Assert.Equal("a\nb\nc\n", await ReadAsync(key));
    }

    [Fact]
    public async Task A_writer_holds_one_block_in_memory_not_the_object()
    {
        // Synchronous writes stage synchronously, so every allocation stays on this thread and can be counted. Loose on
        // purpose: it tells the SDK's per-request objects (about 40 KB for the three blocks here, measured) from a copy of
        // the 13 MiB object, or of each block.
        var job = NewJob();
        var data = System.Security.Cryptography.RandomNumberGenerator.GetBytes(13 * 1024 * 1024 + 17);
        await using var writer = await Store.CreateAsync($"{job}/big.ndjson", ct);
        writer.Content.Write(data.AsSpan(0, 1)); // rents the block buffer before counting

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var offset = 1; offset < data.Length; offset += 700_001)
        {
            writer.Content.Write(data.AsSpan(offset, Math.Min(700_001, data.Length - offset)));
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(data.Length, writer.Length);
        Assert.True(allocated < 2 * BlockStagingStream.BlockSize, $"Writing {data.Length:N0} bytes allocated {allocated:N0} bytes on the writing thread.");
    }

    [Fact]
    public async Task Import_sources_are_read_from_listed_containers_only_and_never_from_the_output()
    {
        var imports = new BlobServiceClient(TestAzurite.ConnectionString).GetBlobContainerClient(ImportContainer);
        await imports.CreateIfNotExistsAsync(cancellationToken: ct);
        var source = imports.GetBlobClient($"{NewJob()}/Patient.ndjson");
        await source.UploadAsync(BinaryData.FromString("{\"resourceType\":\"Patient\",\"id\":\"1\"}\n"), ct);
        var job = NewJob();
        await WriteAsync($"{job}/Patient-1.ndjson", "output\n", commit: true);
        var output = new BlobServiceClient(TestAzurite.ConnectionString).GetBlobContainerClient(Container).GetBlobClient($"{job}/Patient-1.ndjson");

        foreach (var url in new[] { new Uri($"az://{ImportContainer}/{source.Name}"), source.Uri })
        {
            await using var read = await Store.TryOpenSourceAsync(url, ct);
            Assert.NotNull(read);
            Assert.True(read.Content.CanSeek);
            Assert.Equal("{\"resourceType\":\"Patient\",\"id\":\"1\"}\n", await new StreamReader(read.Content).ReadToEndAsync(ct));
        }

        // Listed, but the output (everything under the prefix, here the whole container) is never a source.
        await Assert.ThrowsAsync<StoreSourceException>(() => Store.TryOpenSourceAsync(output.Uri, ct));
        await Assert.ThrowsAsync<StoreSourceException>(() => Store.TryOpenSourceAsync(new Uri($"az://{Container}/{job}/Patient-1.ndjson"), ct));
        await Assert.ThrowsAsync<StoreSourceException>(() => Store.TryOpenSourceAsync(new Uri("az://not-listed/Patient.ndjson"), ct));
        Assert.True((await Assert.ThrowsAsync<StoreSourceException>(() => Store.TryOpenSourceAsync(new Uri($"az://{ImportContainer}/missing.ndjson"), ct))).Missing);
        Assert.False((await Assert.ThrowsAsync<StoreSourceException>(() => Store.TryOpenSourceAsync(new Uri("az://not-listed/Patient.ndjson"), ct))).Missing);
        // Another host, another port, another account path: not this store (the HTTP path with its SSRF rules applies).
        var other = new UriBuilder(source.Uri) { Host = "example.org" }.Uri;
        var otherPort = new UriBuilder(source.Uri) { Port = source.Uri.Port + 1 }.Uri;
        var otherAccount = new Uri(source.Uri.ToString().Replace("devstoreaccount1", "otheraccount", StringComparison.Ordinal));
        foreach (var url in new[] { other, otherPort, otherAccount })
        {
            Assert.Null(await Store.TryOpenSourceAsync(url, ct));
        }
    }

    [Fact]
    public async Task The_prefix_keeps_jobs_apart_from_the_rest_of_the_container()
    {
        var prefixed = CreateStore(signedLinks: false, prefix: "exports-" + NewJob()[..8]);
        var job = NewJob();
        await using (var writer = await prefixed.CreateAsync($"{job}/a.ndjson", ct))
        {
            await writer.Content.WriteAsync("a\n"u8.ToArray(), ct);
            await writer.CommitAsync(ct);
        }

        var prefixes = new List<string>();
        await foreach (var prefix in prefixed.ListPrefixesAsync(ct))
        {
            prefixes.Add(prefix);
        }
        Assert.Equal([job], prefixes);
        Assert.Null(await Store.OpenReadAsync($"{job}/a.ndjson", ct));
        await prefixed.DeletePrefixAsync(job, ct);
        Assert.Null(await prefixed.OpenReadAsync($"{job}/a.ndjson", ct));
    }

    [Theory]
    [InlineData(null, null, "Storage:Azure:ConnectionString or Storage:Azure:AccountUrl")]
    [InlineData("azurite", "https://account.blob.core.windows.net", "exactly one")]
    [InlineData("not a connection string", null, "Storage:Azure:ConnectionString is not")]
    [InlineData("azurite", "container", "Storage:Azure:Container 'Bad_Name'")]
    [InlineData("azurite", "prefix", "Storage:Azure:Prefix")]
    [InlineData("azurite", "imports", "Storage:Azure:ImportContainers")]
    public async Task Bad_settings_stop_the_start_with_a_message_naming_the_key(string? connectionString, string? other, string expected)
    {
        var settings = new Dictionary<string, string> { ["Storage__Provider"] = "azureblob" };
        if (connectionString is not null)
        {
            settings["Storage__Azure__ConnectionString"] = connectionString == "azurite" ? TestAzurite.ConnectionString : connectionString;
        }
        switch (other)
        {
            case "container": settings["Storage__Azure__Container"] = "Bad_Name"; break;
            case "prefix": settings["Storage__Azure__Prefix"] = "exports/../x"; break;
            case "imports": settings["Storage__Azure__ImportContainers__0"] = "x"; break;
            case { } url: settings["Storage__Azure__AccountUrl"] = url; break;
        }
        await using var server = ServerProcess.Start(settings);

        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode is not null and not 0, $"The server kept running or exited 0:\n{server.Output}");
        Assert.Contains(expected, server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Output); // a message, not a stack trace
    }
}
