using System.Diagnostics;
using System.Net;
using System.Text;

namespace AsyncFacade.Tests.Infrastructure;

/// <summary>
/// Polls one job's status URL every few hundred milliseconds for its whole life, through a node's crash and restart,
/// and records every answer (or the lack of one). <see cref="AssertNeverLied"/> then checks that history is one a
/// truthful server could give: only 202s with Retry-After and X-Progress, counters that never go back or pass what
/// exists, then one final 200 that never changes; no answer only while the node was down.
/// </summary>
public sealed class StatusWatch : IAsyncDisposable
{
    private readonly List<StatusObservation> seen = [];
    private readonly Dictionary<Uri, TimeSpan> downSince = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly HttpClient http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) }) { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string statusPath;
    private readonly TimeSpan interval;
    private Uri node;
    private Task polling = Task.CompletedTask;

    private StatusWatch(Uri node, string statusPath, TimeSpan interval)
    {
        this.node = node;
        this.statusPath = statusPath;
        this.interval = interval;
    }

    public static StatusWatch Start(Uri node, string statusPath, TimeSpan? interval = null)
    {
        var watch = new StatusWatch(node, statusPath, interval ?? TimeSpan.FromMilliseconds(150));
        watch.polling = Task.Run(watch.PollAsync);
        return watch;
    }

    public IReadOnlyList<StatusObservation> Observations
    {
        get
        {
            lock (seen)
            {
                return [.. seen];
            }
        }
    }

    /// <summary>Says the node is about to be killed: from now on, its silence is expected.</summary>
    public void NodeDown()
    {
        lock (seen)
        {
            downSince[node] = clock.Elapsed;
        }
    }

    /// <summary>Points the watch at the restarted node (a new process, a new port).</summary>
    public void NodeUp(Uri restarted) => Volatile.Write(ref node, restarted);

    /// <summary>Waits until an answer satisfies <paramref name="condition"/>; returns it.</summary>
    public async Task<StatusObservation> WaitForAsync(Func<StatusObservation, bool> condition, TimeSpan timeout, string what)
    {
        var found = await Eventually.WaitForAsync(() => Task.FromResult(Observations.LastOrDefault(o => o.Answered)),
            o => o is not null && (condition(o) || o.Status != HttpStatusCode.Accepted), timeout, what);
        Assert.True(condition(found!), $"Waiting for {what}, the status answered {found}\n{Summary(Observations)}");
        return found!;
    }

    /// <summary>
    /// Waits for the first answer other than 202 (a truthful one is the final 200), keeps polling for
    /// <paramref name="confirmations"/> more answers (a final answer must stay as it is), then stops; returns that answer.
    /// </summary>
    public async Task<StatusObservation> FinalAsync(TimeSpan timeout, int confirmations = 5)
    {
        static bool Final(StatusObservation o) => o.Answered && o.Status != HttpStatusCode.Accepted;
        IReadOnlyList<StatusObservation> history;
        try
        {
            history = await Eventually.WaitForAsync(() => Task.FromResult(Observations),
                h => h.SkipWhile(o => !Final(o)).Count() > confirmations, timeout, "a final answer, confirmed");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + "\n" + Summary(Observations), ex);
        }
        await StopAsync();
        return history.First(Final);
    }

    /// <summary>
    /// Checks the whole history. <paramref name="ceilings"/> bounds the X-Progress counters ("resources" → 36,000):
    /// none may pass its ceiling or go back, and an "n of m" part never claims more than m.
    /// </summary>
    public void AssertNeverLied(IReadOnlyDictionary<string, long> ceilings)
    {
        var history = Observations.ToList();
        Dictionary<Uri, TimeSpan> down;
        lock (seen)
        {
            down = new(downSince);
        }
        var problems = new List<string>();
        var finalAt = history.FindIndex(o => o.Status == HttpStatusCode.OK);
        var final = finalAt < 0 ? null : history[finalAt];
        finalAt = finalAt < 0 ? history.Count : finalAt;
        StatusObservation? previous = null;
        for (var i = 0; i < history.Count; i++)
        {
            var o = history[i];
            if (!o.Answered)
            {
                if (!(down.TryGetValue(o.Node, out var since) && o.Received >= since))
                {
                    problems.Add($"no answer while the node was up: {o}");
                }
                continue;
            }
            if (i > finalAt)
            {
                if (o.Status != HttpStatusCode.OK || o.Body != final!.Body)
                {
                    problems.Add($"the final answer changed: {o}\n{o.Body}");
                }
                continue;
            }
            if (o.Status == HttpStatusCode.OK)
            {
                continue;
            }
            if (o.Status != HttpStatusCode.Accepted)
            {
                problems.Add($"answered {(int)o.Status!} before the job finished: {o}\n{o.Body}");
                continue;
            }
            if (!int.TryParse(o.RetryAfter, out var seconds) || seconds < 1)
            {
                problems.Add($"a 202 without an integer Retry-After ('{o.RetryAfter}'): {o}");
            }
            if (string.IsNullOrWhiteSpace(o.Progress))
            {
                problems.Add($"a 202 without X-Progress: {o}");
            }
            problems.AddRange(CounterProblems(o, previous, ceilings));
            previous = o;
        }

        var firstDown = history.FindIndex(o => !o.Answered);
        if (final is null)
        {
            problems.Add("the job never finished");
        }
        if (firstDown < 0 || !history.Take(firstDown).Any(o => o.Status == HttpStatusCode.Accepted)
            || !history.Skip(firstDown).Take(finalAt - firstDown).Any(o => o.Status == HttpStatusCode.Accepted))
        {
            problems.Add("the history does not span running → down → running again; it proves nothing about the restart");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)) + "\n" + Summary(history));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        http.Dispose();
        stop.Dispose();
    }

    /// <summary>The history in runs of equal answers, for failure messages.</summary>
    public static string Summary(IReadOnlyList<StatusObservation> history)
    {
        var text = new StringBuilder("Status history:\n");
        for (var i = 0; i < history.Count;)
        {
            var run = history.Skip(i).TakeWhile(o => o.Status == history[i].Status && o.Node == history[i].Node).ToList();
            text.AppendLine(run.Count == 1 ? $"  {run[0]}" : $"  {run[0]}\n   … {run.Count} answers like it …\n  {run[^1]}");
            i += run.Count;
        }
        return text.ToString();
    }

    private static IEnumerable<string> CounterProblems(StatusObservation o, StatusObservation? previous, IReadOnlyDictionary<string, long> ceilings)
    {
        foreach (var (word, ceiling) in ceilings)
        {
            var value = o.Counter(word);
            if (value > ceiling)
            {
                yield return $"claims {value:N0} {word}, more than the {ceiling:N0} there are: {o}";
            }
            if (previous?.Counter(word) is { } before && value < before)
            {
                yield return $"{word} went back from {before:N0} to {value:N0}: {o}";
            }
        }
        if (o.Fraction() is { } part)
        {
            if (part.Done > part.Total)
            {
                yield return $"claims more parts done than there are: {o}";
            }
            if (previous?.Fraction() is { } before && part.Done < before.Done)
            {
                yield return $"parts done went back from {before.Done} to {part.Done}: {o}";
            }
        }
    }

    private async Task StopAsync()
    {
        await stop.CancelAsync();
        await polling;
    }

    private async Task PollAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            StatusObservation observation;
            try
            {
                observation = await StatusObservation.ProbeAsync(http, Volatile.Read(ref node), statusPath, () => clock.Elapsed, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            lock (seen)
            {
                seen.Add(observation);
            }
            try
            {
                await Task.Delay(interval, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
