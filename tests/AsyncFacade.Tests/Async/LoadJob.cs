using System.Net;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Async;

/// <summary>
/// One job of <see cref="TwoNodeLoadTests"/>: its plan and everything the clients saw of it (every poll on either node,
/// the DELETE and the record right after it), and the rules that history must obey.
/// </summary>
internal sealed class LoadJob(LoadJobPlan plan)
{
    private const string CancelledText = "The job was cancelled.";
    private const string DeletedText = "The job and its results were deleted.";

    private readonly List<StatusObservation> polls = [];

    public LoadJobPlan Plan => plan;

    public string StatusPath { get; set; } = "";

    public string Id => StatusPath[(StatusPath.LastIndexOf('/') + 1)..];

    public TimeSpan? DeleteSent { get; set; }

    public TimeSpan? DeleteReturned { get; set; }

    public HttpStatusCode? DeleteStatus { get; set; }

    /// <summary>The DELETE's OperationOutcome diagnostics: whether it cancelled a running job or deleted a finished one.</summary>
    public string? DeleteText { get; set; }

    /// <summary>The job record's state just after the DELETE returned (null: no record).</summary>
    public JobState? StateAfterDelete { get; set; }

    /// <summary>The DELETE caught the job before it finished.</summary>
    public bool CancelWon => DeleteText == CancelledText;

    public IReadOnlyList<StatusObservation> Polls
    {
        get
        {
            lock (polls)
            {
                return [.. polls.OrderBy(p => p.Sent)];
            }
        }
    }

    /// <summary>The first result the status URL served, if any.</summary>
    public string? Result => Polls.FirstOrDefault(p => p.Status == HttpStatusCode.OK)?.Body;

    /// <summary>Enough seen: a result confirmed twice, or (cancelled) two polls after the DELETE returned.</summary>
    public bool Settled
    {
        get
        {
            var seen = Polls;
            return DeleteReturned is { } returned
                ? seen.Count(p => p.Sent > returned) >= 2
                : plan.CancelAfter is null && seen.Count(p => p.Status == HttpStatusCode.OK) >= 3;
        }
    }

    public void Add(StatusObservation poll)
    {
        lock (polls)
        {
            polls.Add(poll);
        }
    }

    /// <summary>
    /// Only 202 (Retry-After, X-Progress) until one 200 that never changes; a DELETE that either cancelled the job (no
    /// result ever shown, record cancelled) or deleted the finished one (no record); after it returned, only 404; never
    /// running again once done, never back once gone.
    /// </summary>
    public IEnumerable<string> ProtocolProblems()
    {
        var seen = Polls;
        var result = Result;
        foreach (var p in seen)
        {
            switch (p.Status)
            {
                case null:
                    yield return $"no answer from a live node: {p}";
                    break;
                case HttpStatusCode.Accepted:
                    if (!int.TryParse(p.RetryAfter, out var seconds) || seconds < 1 || string.IsNullOrWhiteSpace(p.Progress))
                    {
                        yield return $"a 202 without an integer Retry-After or X-Progress: {p}";
                    }
                    if (p.Sent > DeleteReturned)
                    {
                        yield return $"still running after the DELETE returned: {p}";
                    }
                    break;
                case HttpStatusCode.OK:
                    if (CancelWon)
                    {
                        yield return $"showed a result, yet the DELETE cancelled it: {p}";
                    }
                    if (p.Sent > DeleteReturned)
                    {
                        yield return $"showed a result after the DELETE returned: {p}";
                    }
                    if (p.Body != result)
                    {
                        yield return $"its result changed: {p}\n{p.Body}\nwas\n{result}";
                    }
                    break;
                case HttpStatusCode.NotFound:
                    if (DeleteSent is not { } sent || p.Received < sent)
                    {
                        yield return $"404 before any DELETE: {p}";
                    }
                    break;
                default:
                    yield return $"answered {(int)p.Status}: {p}\n{p.Body}";
                    break;
            }
        }
        foreach (var before in seen)
        {
            foreach (var after in seen.Where(a => a.Sent > before.Received))
            {
                if (before.Status == HttpStatusCode.OK && after.Status == HttpStatusCode.Accepted)
                {
                    yield return $"running again after it had completed: {before} then {after}";
                }
                if (before.Status == HttpStatusCode.NotFound && after.Status != HttpStatusCode.NotFound)
                {
                    yield return $"back after a 404: {before} then {after}";
                }
            }
        }
        foreach (var problem in EndProblems(seen.LastOrDefault()))
        {
            yield return problem;
        }
    }

    public override string ToString() => $"{plan} → job {Id}" + (DeleteText is null ? "" : $" [{DeleteText}]");

    private IEnumerable<string> EndProblems(StatusObservation? last)
    {
        if (plan.CancelAfter is null)
        {
            if (last?.Status != HttpStatusCode.OK)
            {
                yield return $"never reached its result; last poll: {last}";
            }
            yield break;
        }
        if (DeleteStatus != HttpStatusCode.Accepted || DeleteText is not (CancelledText or DeletedText))
        {
            yield return $"the DELETE answered {(int?)DeleteStatus}: {DeleteText}";
        }
        if (last?.Status != HttpStatusCode.NotFound)
        {
            yield return $"not 404 at the end: {last}";
        }
        var expected = CancelWon ? JobState.Cancelled : (JobState?)null;
        if (StateAfterDelete != expected)
        {
            yield return $"right after the DELETE ({DeleteText}) its record was {StateAfterDelete?.ToWire() ?? "gone"}";
        }
    }
}
