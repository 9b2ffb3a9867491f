namespace AsyncFacade.Tests.BadInput;

/// <summary>Every case by its unique name, so a theory row is a name and a failure says which request it was.</summary>
internal static class BadInputCorpus
{
    private static readonly Lazy<Dictionary<string, BadRequest>> ByName = new(() =>
    {
        var cases = new Dictionary<string, BadRequest>(StringComparer.Ordinal);
        foreach (var bad in Anonymous().Concat(AuthCorpus.All()).Select(KestrelRefusal))
        {
            if (!cases.TryAdd(bad.Name, bad))
            {
                throw new InvalidOperationException($"Two cases are named '{bad.Name}'.");
            }
        }
        return cases;
    });

    /// <summary>The cases for a host with auth off.</summary>
    public static IEnumerable<BadRequest> Anonymous() =>
        ExportCorpus.System().Concat(ExportCorpus.Patient()).Concat(ExportCorpus.Group())
            .Concat(ImportCorpus.All())
            .Concat(KickOffCorpus.All())
            .Concat(StatusCorpus.Status()).Concat(StatusCorpus.PollStatus()).Concat(StatusCorpus.Result())
            .Concat(FileCorpus.All())
            .Concat(ServerCorpus.Metadata()).Concat(ServerCorpus.OperationDefinitions()).Concat(ServerCorpus.SmartConfiguration())
            .Concat(ServerCorpus.Health()).Concat(ServerCorpus.AnyUrl());

    public static BadRequest Find(string name) => ByName.Value[name];

    /// <summary>A NUL in the path never reaches the application (see <see cref="RefusalBody.KestrelBare"/>).</summary>
    private static BadRequest KestrelRefusal(BadRequest bad) =>
        bad.Path.Split('?')[0].Contains("%00", StringComparison.Ordinal) ? bad with { Status = 400, Refusal = RefusalBody.KestrelBare } : bad;

    public static string FamilyOf(BadRequest bad) => bad.Name[..bad.Name.IndexOf(" | ", StringComparison.Ordinal)];

    public static TheoryData<string> Names(IEnumerable<BadRequest> cases) => new(cases.Select(c => c.Name));
}
