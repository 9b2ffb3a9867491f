using AsyncFacade.Server.Jobs;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Import;

/// <summary>
/// Imports one input file: opens it (re-checking the SSRF policy), skips the lines a checkpoint already settled, then
/// reads it line by line into batches; each line is checked, each batch written, and the error report and checkpoint
/// saved after it. A bad line or a line the upstream refuses goes to the report; an input that cannot be read ends
/// with one error entry and the import goes on. A read that breaks mid-file is resumed by opening the input again.
/// </summary>
internal sealed class InputImport(ImportSourcePolicy policy, ImportFetcher fetcher, ImportBatchWriter writer, Storage.IOutputStore output,
    IOptions<ImportOptions> options, ILogger<InputImport> logger)
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
                    Fail(run, OperationOutcome.IssueType.NotFound, "could not be read: " + ex.Message);
                    break;
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException or System.IO.InvalidDataException && !cancellationToken.IsCancellationRequested)
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
            throw new ImportSourceException(problem!.Reason);
        }
        await using var stream = await fetcher.OpenAsync(source, cancellationToken);
        await using var lines = await NdjsonLineReader.OpenAsync(stream, options.Value.MaxLineBytes, cancellationToken);
        while (lines.LineNumber < run.Settled.Lines && await lines.ReadLineAsync(cancellationToken) is not null)
        {
            // Settled by an earlier run or an earlier open of this input.
        }
        var checker = new ImportLineChecker(run.Input.Type, run.Mode, options.Value.ValidateResources);
        var batch = new ImportBatch(options.Value.BatchSize);
        var problems = new List<(long Line, ImportProblem Problem)>();
        var failures = new List<(BatchEntry Entry, ImportProblem Problem)>();
        while (true)
        {
            batch.Clear();
            problems.Clear();
            failures.Clear();
            NdjsonLine? next = null;
            while (!batch.IsFull && (next = await lines.ReadLineAsync(cancellationToken)) is { } line)
            {
                if (line.TooLong)
                {
                    problems.Add((line.Number, new(OperationOutcome.IssueType.TooLong, $"the line is longer than Import:MaxLineBytes ({options.Value.MaxLineBytes:N0} bytes).")));
                }
                else if (!line.IsBlank)
                {
                    if (checker.Check(line.Bytes, out var id) is { } bad)
                    {
                        problems.Add((line.Number, bad));
                    }
                    else
                    {
                        batch.Add(line.Bytes, line.Number, id);
                    }
                }
            }
            if (batch.Count > 0)
            {
                await writer.WriteAsync(batch, batch.Entries, run.Input.Type, failures, cancellationToken);
                problems.AddRange(failures.Select(f => (f.Entry.Line,
                    f.Problem with { Reason = $"{run.Input.Type}/{f.Entry.Id ?? "(new)"}: {f.Problem.Reason}" })));
            }
            await SettleAsync(run, lines.LineNumber, batch.Count - failures.Count, problems);
            if (next is null)
            {
                return;
            }
            // Between batches: the only place a cancel (or shutdown) stops an import; what was written stays written.
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Reports the batch's problems in line order, then saves the checkpoint that counts them.</summary>
    private static async Task SettleAsync(Run run, long lines, long written, List<(long Line, ImportProblem Problem)> problems)
    {
        foreach (var (line, problem) in problems.OrderBy(p => p.Line))
        {
            run.Errors.Add(line, problem);
        }
        await run.Errors.FlushAsync(CancellationToken.None);
        var before = run.Settled;
        run.Settled = new InputCheckpoint(lines, before.Written + written, run.Errors.Count, run.Errors.Bytes, false);
        await run.Checkpoints.SaveAsync(run.Index, run.Settled);
        run.Progress.Add(lines - before.Lines, written, problems.Count);
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
}
