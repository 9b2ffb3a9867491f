namespace AsyncFacade.Tests.BadInput;

/// <summary>
/// The cases whose answer depends on the job store (job ids, hostile ones included, reach its queries; kick-offs must not
/// leave a record) against PostgreSQL.
/// </summary>
[Collection(PostgresBadInputCollection.Name)]
public sealed class BadInputPostgresTests(PostgresBadInputFacade host)
{
    public static TheoryData<string> Cases => BadInputCorpus.Names(
        StatusCorpus.Status().Concat(StatusCorpus.PollStatus()).Concat(StatusCorpus.Result()).Concat(FileCorpus.All())
            .Concat(ExportCorpus.System().Where((_, i) => i % 4 == 0))
            .Concat(ImportCorpus.All().Where((_, i) => i % 4 == 0))
            .Concat(KickOffCorpus.All().Where((_, i) => i % 4 == 0)));

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Bad_request_is_refused_at_once_and_leaves_no_record_in_PostgreSQL(string name) =>
        BadInputCheck.RefusedAsync(host, BadInputCorpus.Find(name));
}
