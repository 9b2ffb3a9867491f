using AsyncFacade.SampleUpstream.Generation;
using AsyncFacade.Server.Export;

namespace AsyncFacade.Tests.Async;

/// <summary>
/// What <see cref="TwoNodeLoadTests"/> does with one job, drawn from its seed: the request, the node that kicks it off,
/// when, and whether (and when, and on which node) it is cancelled.
/// </summary>
internal sealed record LoadJobPlan(int Index, string Kind, string Url, int KickOffNode, TimeSpan StartAfter, TimeSpan? CancelAfter, int CancelNode)
{
    public const string Read = "read";
    public const string Search = "search";
    public const string Export = "export";

    public bool IsExport => Kind == Export;

    /// <summary>The patient only this job asks for: how its upstream call is told from the others'.</summary>
    public string Patient => $"pat-{Index}";

    /// <summary>
    /// An export's `_until`: just after the sample data's last change, so it exports every patient, and a millisecond apart
    /// per job, so each of its upstream searches (`_lastUpdated=le{Until}`) is told from the other exports'.
    /// </summary>
    public string? Until => IsExport
        ? ExportPlan.Instant(DateTimeOffset.FromUnixTimeMilliseconds(FhirInstant.WindowEndMs).AddMilliseconds(Index))
        : null;

    public static List<LoadJobPlan> Draw(int seed, int count)
    {
        var random = new Random(seed);
        var plans = new List<LoadJobPlan>();
        for (var i = 0; i < count; i++)
        {
            var kind = random.Next(5) switch { 0 or 1 => Export, 2 => Search, _ => Read };
            var startAfter = TimeSpan.FromMilliseconds(random.Next(0, 2000));
            // About 30% are cancelled: an interaction within 4 s (queued, waiting on the upstream, or done), an export
            // within 10 s (planning, exporting, or done).
            TimeSpan? cancelAfter = random.NextDouble() < 0.3 ? TimeSpan.FromMilliseconds(random.Next(0, kind == Export ? 10_000 : 4000)) : null;
            var plan = new LoadJobPlan(i, kind, "", random.Next(2), startAfter, cancelAfter, random.Next(2));
            plans.Add(plan with
            {
                Url = kind switch { Export => $"/fhir/$export?_type=Patient&_until={plan.Until}", Search => $"/fhir/Patient?_id=pat-{i}", _ => $"/fhir/Patient/pat-{i}" },
            });
        }
        return plans;
    }

    public override string ToString() =>
        $"#{Index} {Kind} on node {KickOffNode} at +{StartAfter.TotalMilliseconds:F0} ms" +
        (CancelAfter is { } after ? $", DELETE on node {CancelNode} {after.TotalMilliseconds:F0} ms after kick-off" : "");
}
