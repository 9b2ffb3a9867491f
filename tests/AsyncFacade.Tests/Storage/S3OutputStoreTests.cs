using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using AsyncFacade.Server.Storage;
using AsyncFacade.Server.Storage.S3;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Storage;

/// <summary>
/// The store contract and S3's own behaviours against s3rver. Not testable there (no such calls in s3rver):
/// AbortMultipartUpload's effect, ListMultipartUploads, ListParts, UploadPartCopy — see the store's remarks.
/// </summary>
public sealed class S3OutputStoreTests(S3TestBucket bucket) : OutputStoreContract, IClassFixture<S3TestBucket>
{
    private const int MiB = 1024 * 1024;

    protected override IOutputStore Store { get; } = bucket.CreateStore(bucket.Options());

    [Fact]
    public async Task A_presigned_link_downloads_with_a_plain_HttpClient_and_a_tampered_one_is_refused()
    {
        var store = bucket.CreateStore(bucket.Options(signedLinks: true));
        var job = NewJob();
        await WriteAsync($"{job}/Patient-1.ndjson", "{\"resourceType\":\"Patient\"}\n", commit: true);

        var link = await store.GetReadLinkAsync($"{job}/Patient-1.ndjson", DateTimeOffset.UtcNow.AddHours(1), ct);

        Assert.NotNull(link);
        Assert.Equal("http", link.Scheme); // follows ServiceUrl
        Assert.Contains("X-Amz-Algorithm=AWS4-HMAC-SHA256", link.Query);
        using var http = new HttpClient();
        using var ok = await http.GetAsync(link, ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("{\"resourceType\":\"Patient\"}\n", await ok.Content.ReadAsStringAsync(ct));

        // s3rver 3.7 does not recompute V4 signatures (a changed X-Amz-Signature passes there); it does check the
        // credential's key id and the link's lifetime, which are what a tampered link is refused on here.
        var forged = new Uri(link.ToString().Replace($"X-Amz-Credential={S3TestBucket.AccessKey}", "X-Amz-Credential=FORGED", StringComparison.Ordinal));
        using var refused = await http.GetAsync(forged, ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task A_presigned_link_stops_working_when_it_expires()
    {
        var store = bucket.CreateStore(bucket.Options(signedLinks: true));
        var job = NewJob();
        await WriteAsync($"{job}/a.ndjson", "a\n", commit: true);
        var link = await store.GetReadLinkAsync($"{job}/a.ndjson", DateTimeOffset.UtcNow.AddSeconds(2), ct);
        Assert.NotNull(link);
        using var http = new HttpClient();

        await Eventually.WaitForAsync(async () => { using var r = await http.GetAsync(link, ct); return r.StatusCode; },
            status => status == HttpStatusCode.Forbidden, TimeSpan.FromSeconds(10), "the link to expire");

        Assert.Null(await store.GetReadLinkAsync($"{job}/a.ndjson", DateTimeOffset.UtcNow.AddSeconds(-1), ct));
    }

    [Fact]
    public async Task A_link_past_seven_days_is_cut_to_the_V4_maximum_and_still_works()
    {
        var store = bucket.CreateStore(bucket.Options(signedLinks: true));
        var job = NewJob();
        await WriteAsync($"{job}/a.ndjson", "a\n", commit: true);

        var link = await store.GetReadLinkAsync($"{job}/a.ndjson", DateTimeOffset.UtcNow.AddDays(30), ct);

        Assert.NotNull(link);
        var expires = System.Web.HttpUtility.ParseQueryString(link.Query)["X-Amz-Expires"];
        Assert.True(expires is not null, $"not a V4 link: {link}");
        Assert.InRange(int.Parse(expires), 604_000, 604_800);
        using var http = new HttpClient();
        Assert.Equal("a\n", await http.GetStringAsync(link, ct));
    }

    [Fact]
    public async Task Without_SignedLinks_the_store_hands_out_no_link()
    {
        var job = NewJob();
        await WriteAsync($"{job}/a.ndjson", "a\n", commit: true);

        Assert.Null(await Store.GetReadLinkAsync($"{job}/a.ndjson", DateTimeOffset.UtcNow.AddHours(1), ct));
    }

    [Fact]
    public async Task A_cut_inside_the_tail_resumes_the_same_upload_after_whole_parts()
    {
        // 9 MiB: one 8 MiB part uploaded, 1 MiB tail in the resume record; the cut falls in the tail.
        var job = NewJob();
        var key = $"{job}/Observation-1.ndjson";
        var data = RandomNumberGenerator.GetBytes(9 * MiB + 100);
        var writer = await Store.CreateAsync(key, ct);
        await writer.Content.WriteAsync(data.AsMemory(0, 9 * MiB), ct);
        await writer.Content.FlushAsync(ct);
        var checkpoint = writer.Length;
        await writer.Content.WriteAsync(RandomNumberGenerator.GetBytes(1000), ct); // after the checkpoint: dropped
        await writer.Content.FlushAsync(ct);
        // Abandoned, like a killed process.

        await using (var resumed = await Store.ResumeAsync(key, checkpoint, ct))
        {
            Assert.NotNull(resumed);
            Assert.Equal(checkpoint, resumed.Length);
            await resumed.Content.WriteAsync(data.AsMemory(9 * MiB), ct);
            await resumed.CommitAsync(ct);
        }

        Assert.Equal(SHA256.HashData(data), await HashAsync(key));
    }

    [Fact]
    public async Task A_cut_inside_an_uploaded_part_cannot_be_resumed()
    {
        var job = NewJob();
        var key = $"{job}/Observation-1.ndjson";
        var writer = await Store.CreateAsync(key, ct);
        await writer.Content.WriteAsync(RandomNumberGenerator.GetBytes(MiB), ct);
        await writer.Content.FlushAsync(ct);
        var checkpoint = writer.Length;
        // The next page fills a part, which takes the checkpointed bytes with it, and is flushed before the crash.
        await writer.Content.WriteAsync(RandomNumberGenerator.GetBytes(8 * MiB), ct);
        await writer.Content.FlushAsync(ct);

        Assert.Null(await Store.ResumeAsync(key, checkpoint, ct));
        // The dead upload and its record are gone: the restarted object does not trip over them.
        Assert.Null(await Store.ResumeAsync(key, 9 * MiB, ct));
    }

    [Fact]
    public async Task A_multipart_object_committed_after_its_checkpoint_is_copied_back_and_hidden_until_recommitted()
    {
        var job = NewJob();
        var key = $"{job}/Condition-1.ndjson";
        var data = RandomNumberGenerator.GetBytes(10 * MiB);
        long checkpoint;
        await using (var writer = await Store.CreateAsync(key, ct))
        {
            await writer.Content.WriteAsync(data.AsMemory(0, 9 * MiB), ct);
            await writer.Content.FlushAsync(ct);
            checkpoint = writer.Length;
            await writer.Content.WriteAsync(RandomNumberGenerator.GetBytes(3 * MiB), ct);
            await writer.CommitAsync(ct);
        }

        await using (var resumed = await Store.ResumeAsync(key, checkpoint, ct))
        {
            Assert.NotNull(resumed);
            Assert.Equal(checkpoint, resumed.Length);
            Assert.Null(await Store.OpenReadAsync(key, ct));
            await resumed.Content.WriteAsync(data.AsMemory(9 * MiB), ct);
            await resumed.CommitAsync(ct);
        }

        Assert.Equal(SHA256.HashData(data), await HashAsync(key));
    }

    [Fact]
    public async Task An_older_committed_version_does_not_hide_the_newer_unfinished_upload()
    {
        // The record belongs to a newer writer than the committed object: resume continues the record.
        var job = NewJob();
        var key = $"{job}/Patient-1.ndjson";
        await WriteAsync(key, "old version, longer than the checkpoint\n", commit: true);
        var writer = await Store.CreateAsync(key, ct);
        await writer.Content.WriteAsync("new\n"u8.ToArray(), ct);
        await writer.Content.FlushAsync(ct);

        await using (var resumed = await Store.ResumeAsync(key, 4, ct))
        {
            Assert.NotNull(resumed);
            await resumed.Content.WriteAsync("more\n"u8.ToArray(), ct);
            await resumed.CommitAsync(ct);
        }

        Assert.Equal("new\nmore\n", await ReadAsync(key));
    }

    [Fact]
    public async Task A_range_read_seeks_across_parts_of_a_multipart_object()
    {
        var job = NewJob();
        var data = RandomNumberGenerator.GetBytes(9 * MiB);
        await using (var writer = await Store.CreateAsync($"{job}/big.ndjson", ct))
        {
            await writer.Content.WriteAsync(data, ct);
            await writer.CommitAsync(ct);
        }

        await using var read = await Store.OpenReadAsync($"{job}/big.ndjson", ct);
        Assert.NotNull(read);
        read.Content.Seek(8 * MiB - 10, SeekOrigin.Begin);
        var buffer = new byte[20];
        await read.Content.ReadExactlyAsync(buffer, ct);
        Assert.Equal(data.AsSpan(8 * MiB - 10, 20).ToArray(), buffer);
        read.Content.Seek(-5, SeekOrigin.End);
        Assert.Equal(5, await read.Content.ReadAsync(buffer, ct));
        Assert.Equal(0, await read.Content.ReadAsync(buffer, ct));
    }

    [Fact]
    public async Task Wrong_credentials_make_the_readiness_check_throw()
    {
        // An unknown access key: s3rver 3.7 checks the key id but not a V4 signature, so a wrong secret would pass there.
        var options = bucket.Options();
        options.S3.AccessKeyId = "NOT-A-KEY";
        var store = bucket.CreateStore(options);

        var failure = await Assert.ThrowsAsync<AmazonS3Exception>(() => store.CheckAsync(ct));
        Assert.Equal(HttpStatusCode.Forbidden, failure.StatusCode);
    }

    [Fact]
    public async Task Resume_records_are_no_output_keys()
    {
        Assert.False(OutputKey.IsValid("job/Patient-1.ndjson" + S3ResumeRecord.KeySuffix));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync("job/Patient-1.ndjson" + S3ResumeRecord.KeySuffix, ct));
    }

    [Fact]
    public async Task A_prefix_keeps_jobs_apart_from_other_objects_in_the_bucket()
    {
        var store = bucket.CreateStore(bucket.Options(prefix: "exports/"));
        var job = NewJob();
        await using (var writer = await store.CreateAsync($"{job}/a.ndjson", ct))
        {
            await writer.Content.WriteAsync("a\n"u8.ToArray(), ct);
            await writer.CommitAsync(ct);
        }
        await store.CheckAsync(ct);

        var listed = new List<string>();
        await foreach (var prefix in store.ListPrefixesAsync(ct))
        {
            listed.Add(prefix);
        }
        Assert.Contains(job, listed);
        Assert.DoesNotContain("exports", listed);
        Assert.Null(await Store.OpenReadAsync($"{job}/a.ndjson", ct)); // the unprefixed store does not see it
        await store.DeletePrefixAsync(job, ct);
        Assert.Null(await store.OpenReadAsync($"{job}/a.ndjson", ct));
    }

    [Fact]
    public async Task Import_sources_are_read_from_listed_buckets_only()
    {
        var sources = bucket.Options();
        sources.S3.Bucket = bucket.ImportName;
        var sourceStore = bucket.CreateStore(sources);
        await using (var writer = await sourceStore.CreateAsync("in/Patient.ndjson", ct))
        {
            await writer.Content.WriteAsync("{\"resourceType\":\"Patient\"}\n"u8.ToArray(), ct);
            await writer.CommitAsync(ct);
        }
        var store = bucket.CreateStore(bucket.Options(prefix: "out/"));

        foreach (var url in new[] { $"s3://{bucket.ImportName}/in/Patient.ndjson", $"{bucket.Endpoint}{bucket.ImportName}/in/Patient.ndjson" })
        {
            await using var source = await store.TryOpenSourceAsync(new Uri(url), ct);
            Assert.NotNull(source);
            Assert.True(source.Content.CanSeek);
            Assert.Equal("{\"resourceType\":\"Patient\"}\n", await new StreamReader(source.Content).ReadToEndAsync(ct));
        }
        await Assert.ThrowsAsync<StoreSourceException>(() => store.TryOpenSourceAsync(new Uri("s3://someone-elses-bucket/in/Patient.ndjson"), ct));
        Assert.True((await Assert.ThrowsAsync<StoreSourceException>(() => store.TryOpenSourceAsync(new Uri($"s3://{bucket.ImportName}/in/missing.ndjson"), ct))).Missing);
        Assert.False((await Assert.ThrowsAsync<StoreSourceException>(() => store.TryOpenSourceAsync(new Uri("s3://someone-elses-bucket/in/Patient.ndjson"), ct))).Missing);
        // The output bucket is listed too, but never its output prefix.
        await Assert.ThrowsAsync<StoreSourceException>(() => store.TryOpenSourceAsync(new Uri($"s3://{bucket.Name}/out/job/Patient-1.ndjson"), ct));
        Assert.Null(await store.TryOpenSourceAsync(new Uri($"https://elsewhere.example/{bucket.ImportName}/in/Patient.ndjson"), ct));
        Assert.Null(await store.TryOpenSourceAsync(new Uri($"http://127.0.0.2:{bucket.Endpoint.Port}/{bucket.ImportName}/in/Patient.ndjson"), ct));
    }

    private async Task<byte[]> HashAsync(string key)
    {
        await using var read = await Store.OpenReadAsync(key, ct);
        Assert.NotNull(read);
        return await SHA256.HashDataAsync(read.Content, ct);
    }
}
