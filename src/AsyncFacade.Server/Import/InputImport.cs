using AsyncFacade.Server.Jobs;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Import;

/// <summary>
/// Imports one input file: opens it (re-checking the SSRF policy), skips the lines a checkpoint already settled, then
/// reads it line by line into batches; each line is checked, each batch written, and the error report and checkpoint
/// saved after it. A bad line or a line the upstream refuses goes to the report; an input that cannot be read ends
/// with one error entry and the import goes on. A read that breaks mid-file is resumed by opening the input again.
/// Two batches per input at most: one being written while the next is read and checked.
/// </summary>
internal sealed class InputImport(ImportSourcePolicy policy, ImportFetcher fetcher, ImportBatchWriter writer, Storage.IOutputStore output,
    IOptions<ImportOptions> options, Telemetry.FacadeMetrics metrics, ILogger<InputImport> logger)
{
    private const int MaxOpens = 3;

    public async Task<InputCheckpoint> RunAsync(JobContext context, ImportRequest request, int index, ImportCheckpoints checkpoints, ImportProgress progress,
        CancellationToken cancellationToken)
    {
        var settled = checkpoints.For(index);
        if (settled.Done)
        {
            return settled;
        }
        var input = request.Inputs[index];
        var label = $"{request.Describe(index)} ({Uri.UnescapeDataString(new Uri(input.Url).GetLeftPart(UriPartial.Path))})";
        var errors = await ImportErrorFile.ResumeAsync(output, context.Job.Id, index, label, settled.ErrorBytes, settled.Errors, cancellationToken);
        if (errors is null)
        {
            // The report of the interrupted run is gone: this input starts again (its writes are PUTs, so that is harmless).
            settled = InputCheckpoint.Start;
            errors = new ImportErrorFile(output, context.Job.Id, index, label);
        }
        await using (errors)
        {
            var run = new Run(context, input, request.Mode, index, errors, checkpoints, progress) { Settled = settled };
            for (var open = 1; ; open++)
            {
                try
                {
                    await CopyAsync(run, request.RequiresAccessToken, cancellationToken);
                    break;
                }
                catch (ImportSourceException ex)
                {
                    ImportLog.InputFailed(logger, context.Job.Id, index, ex.Message);
                    Fail(run, ex.Code, "could not be read: " + ex.Message);
                    break;
                }
                // Not refused upstream credentials (UpstreamAuthException): they fail the whole job with `login`.
                catch (Exception ex) when (ex is IOException or (HttpRequestException and not Upstream.Credentials.UpstreamAuthException)
                                               or System.IO.InvalidDataException && !cancellationToken.IsCancellationRequested)
                {
                    ImportLog.ReadBroke(logger, context.Job.Id, index, run.Settled.Lines, ex.Message);
                    if (open < MaxOpens)
                    {
                        continue;
                    }
                    Fail(run, OperationOutcome.IssueType.Transient,
                        $"reading stopped after line {run.Settled.Lines} ({ex.Message}); the lines after it were not imported.");
                    break;
                }
            }
            var name = await errors.CompleteAsync(cancellationToken);
            var done = run.Settled with { Errors = errors.Count, ErrorBytes = errors.Bytes, ErrorFile = name, Done = true };
            await checkpoints.SaveAsync(index, done);
            progress.FileDone();
            await context.ReportProgressAsync(progress.Describe(), CancellationToken.None);
            return done;
        }
    }

    private async Task CopyAsync(Run run, bool requiresToken, CancellationToken cancellationToken)
    {
        var (source, problem) = await policy.CheckAsync(run.Input.Url, run.Context.Job.BaseUrl, run.Context.Job.Owner, requiresToken, cancellationToken);
        if (source is null)
        {
            throw new ImportSourceException(problem!.Reason, problem.Code);
        }
        await using var stream = await fetcher.OpenAsync(source, cancellationToken);
        await using var lines = await NdjsonLineReader.OpenAsync(stream, options.Value.MaxLineBytes, cancellationToken);
        while (lines.LineNumber < run.Settled.Lines && await lines.ReadLineAsync(cancellationToken) is not null)
        {
            // Settled by an earlier run or an earlier open of this input.
        }
        var checker = new ImportLineChecker(run.Input.Type, run.Mode, options.Value.ValidateResources);
        var filling = new Slot(options.Value.BatchSize);
        var sending = new Slot(options.Value.BatchSize);
        Task? writing = null;
        while (true)
        {
            bool more;
            try
            {
                // The next batch is read and checked while the previous one is being written: with one large input left,
                // the checks and the upstream's work overlap instead of taking turns.
                more = await FillAsync(lines, checker, filling, cancellationToken);
            }
            catch when (writing is not null)
            {
                // Whatever stopped the reading, the batch in flight was sent: settle it before giving up.
                await writing;
                await SettleAsync(run, sending);
                throw;
            }
            if (writing is not null)
            {
                await writing;
                await SettleAsync(run, sending);
                // Between batches: the only place a cancel (or shutdown) stops an import; what was written stays written.
                cancellationToken.ThrowIfCancellationRequested();
            }
            writing = filling.Batch.Count > 0
                ? writer.WriteAsync(filling.Batch, filling.Batch.Entries, run.Input.Type, filling.Failures, cancellationToken)
                : Task.CompletedTask;
            (filling, sending) = (sending, filling);
            if (!more)
            {
                await writing;
                await SettleAsync(run, sending);
                return;
            }
        }
    }

    /// <summary>Reads lines into the slot until its batch is full; false when the input has no more lines.</summary>
    private async Task<bool> FillAsync(NdjsonLineReader lines, ImportLineChecker checker, Slot slot, CancellationToken cancellationToken)
    {
        slot.Clear();
        while (!slot.Batch.IsFull)
        {
            if (await lines.ReadLineAsync(cancellationToken) is not { } line)
            {
                slot.EndLine = lines.LineNumber;
                return false;
            }
            if (line.TooLong)
            {
                slot.Problems.Add((line.Number, new(OperationOutcome.IssueType.TooLong, $"the line is longer than Import:MaxLineBytes ({options.Value.MaxLineBytes:N0} bytes).")));
            }
            else if (!line.IsBlank)
            {
                if (checker.Check(line.Bytes, out var id) is { } bad)
                {
                    slot.Problems.Add((line.Number, bad));
                }
                else
                {
                    slot.Batch.Add(line.Bytes, line.Number, id);
                }
            }
        }
        slot.EndLine = lines.LineNumber;
        return true;
    }

    /// <summary>Reports the batch's problems in line order, then saves the checkpoint that counts them.</summary>
    private async Task SettleAsync(Run run, Slot slot)
    {
        var problems = slot.Problems.Concat(slot.Failures.Select(f => (f.Entry.Line,
            f.Problem with { Reason = $"{run.Input.Type}/{f.Entry.Id ?? "(new)"}: {f.Problem.Reason}" }))).OrderBy(p => p.Item1).ToList();
        foreach (var (line, problem) in problems)
        {
            run.Errors.Add(line, problem);
        }
        await run.Errors.FlushAsync(CancellationToken.None);
        var before = run.Settled;
        var written = slot.Batch.Count - slot.Failures.Count;
        // Before the checkpoint: in a shutdown, saving it is where the import stops.
        metrics.ResourcesImported(written, run.Input.Type);
        run.Settled = new InputCheckpoint(slot.EndLine, before.Written + written, run.Errors.Count, run.Errors.Bytes, false);
        await run.Checkpoints.SaveAsync(run.Index, run.Settled);
        run.Progress.Add(slot.EndLine - before.Lines, written, problems.Count);
        await run.Context.ReportProgressAsync(run.Progress.Describe(), CancellationToken.None);
    }

    private static void Fail(Run run, OperationOutcome.IssueType code, string reason)
    {
        run.Errors.Add(0, new ImportProblem(code, reason));
        run.Progress.Add(0, 0, 1);
    }

    /// <summary>One input's run: what it works on and how far it has got.</summary>
    private sealed record Run(JobContext Context, ImportInput Input, ImportMode Mode, int Index, ImportErrorFile Errors, ImportCheckpoints Checkpoints,
        ImportProgress Progress)
    {
        public required InputCheckpoint Settled { get; set; }
    }

    /// <summary>One batch with what goes with it: the problems found while reading it, the upstream's failures, its last line.</summary>
    private sealed class Slot(int batchSize)
    {
        public ImportBatch Batch { get; } = new(batchSize);

        public List<(long Line, ImportProblem Problem)> Problems { get; } = [];

        public List<(BatchEntry Entry, ImportProblem Problem)> Failures { get; } = [];

        public long EndLine { get; set; }

        public void Clear()
        {
            Batch.Clear();
            Problems.Clear();
            Failures.Clear();
        }
    }
}
