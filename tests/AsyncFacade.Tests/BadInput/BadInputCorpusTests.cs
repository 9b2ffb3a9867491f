using System.Net;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.BadInput;

/// <summary>
/// Issue 8.5: every public endpoint gets malformed and hostile requests, and each one is refused with a 4xx
/// OperationOutcome within a second, leaving no job, no file and no upstream write behind.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class BadInputCorpusTests(InMemoryBadInputFacade host)
{
    public static TheoryData<string> Cases => BadInputCorpus.Names(BadInputCorpus.Anonymous());

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Bad_request_is_refused_at_once_with_an_OperationOutcome_and_changes_nothing(string name) =>
        BadInputCheck.RefusedAsync(host, BadInputCorpus.Find(name));

    [Fact]
    public void Every_endpoint_family_gets_its_share_of_the_corpus()
    {
        var families = BadInputCorpus.Anonymous().Concat(AuthCorpus.All()).GroupBy(BadInputCorpus.FamilyOf).ToDictionary(g => g.Key, g => g.Count());

        foreach (var family in new[]
                 {
                     "export-system", "export-patient", "export-group", "import", "kick-off", "status", "export-poll-status", "result", "files",
                     "auth-fhir", "auth-token",
                 })
        {
            Assert.True(families.GetValueOrDefault(family) >= 50, $"{family} has {families.GetValueOrDefault(family)} cases.");
        }
    }

    [Fact]
    public async Task The_snapshot_sees_a_job_its_files_and_an_upstream_write()
    {
        // The check is only worth something if an accepted request does show up in it.
        var ct = TestContext.Current.CancellationToken;
        var before = await host.SnapshotAsync(ct);
        var client = new AsyncClient(host.Http);
        using var write = new HttpRequestMessage(HttpMethod.Put, "/fhir/Patient/snapshot-probe")
        {
            Content = new StringContent("""{"resourceType":"Patient","id":"snapshot-probe"}""", System.Text.Encoding.UTF8, "application/fhir+json"),
        };

        var status = await client.KickOffAsync(write);
        Assert.Equal(before.Jobs + 1, (await host.SnapshotAsync(ct)).Jobs);
        (await client.WaitAsync(status)).Dispose();
        var done = await host.SnapshotAsync(ct);
        Assert.NotEqual(before.OutputEntries, done.OutputEntries);
        Assert.Equal(before.UpstreamWrites + 1, done.UpstreamWrites);

        Assert.Equal(HttpStatusCode.Accepted, (await host.Http.DeleteAsync(status, ct)).StatusCode);
        var after = await host.SnapshotAsync(ct);
        Assert.Equal(before with { UpstreamWrites = done.UpstreamWrites }, after);
        Assert.Null(await host.App.GetRequiredService<IJobStore>().GetAsync(status[(status.LastIndexOf('/') + 1)..], ct));
    }
}
