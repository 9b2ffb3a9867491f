using System.Text.Json;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using AsyncFacade.Server.Export.Paging;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Export;

/// <summary>
/// `organizeOutputBy=Patient`: pages the unit's Patient searches and writes one resource block per patient, as the Bulk
/// Data IG specifies: a `Parameters` header naming the patient, the Patient, then the patient's resources (each block
/// search with the patient's id, every page). A file is rolled only between blocks, so a block never spans files
/// (`continuesInFile` is never needed). A checkpoint after a block when one is due (<see cref="CheckpointCadence"/>): a
/// resumed unit refetches the Patient page it was on and skips the blocks already written. Memory holds one Patient page, never a block.
/// </summary>
internal sealed class PatientBlockWriter(SearchPager pager, IOutputStore output, IOptions<ExportOptions> options, TimeProvider time, ILogger<PatientBlockWriter> logger)
{
    public async Task<TypeCheckpoint> ExportFromAsync(JobContext context, ExportUnit unit, TypeCheckpoint start, CancellationToken cancellationToken)
    {
        var exportId = context.Job.ParentId!;
        var errors = new List<string>(start.Errors ?? []);
        var searches = unit.Searches;
        await using var file = new RollingNdjsonFile(output, exportId, unit.Type, unit.FileStem, options.Value.MaxResourcesPerFile, start);
        var cadence = new CheckpointCadence(file, TimeSpan.FromMilliseconds(options.Value.CheckpointIntervalMilliseconds), time);
        Task SaveAsync(int search, SearchCursor? cursor, int blocks = 0) => cadence.SaveAsync(context, unit,
            f => new TypeCheckpoint(search, cursor, f.Committed, f.Open, false, errors, blocks), cancellationToken);

        for (var search = start.Search; search < searches.Count; search++)
        {
            var skip = search == start.Search ? start.Blocks : 0;
            var resumeAt = start.Cursor ?? (start.Next is { } next ? new SearchCursor(CursorMode.Link, next) : SearchCursor.First);
            for (var cursor = search == start.Search ? resumeAt : SearchCursor.First; !cursor.IsEnd;)
            {
                var patients = new List<(string Id, byte[] Json)>();
                var outcome = await pager.NextAsync(searches[search], unit.Paging, cursor, (page, trail, token) => ReadPatientsAsync(page, trail, patients, token),
                    cancellationToken);
                if (outcome is not (PageOutcome.Page or PageOutcome.End))
                {
                    errors.Add(Stopped(exportId, unit, "Patient", outcome));
                    break;
                }
                for (var block = skip; block < patients.Count; block++)
                {
                    await WriteBlockAsync(exportId, unit, patients[block], file, errors, cancellationToken);
                    await file.RollIfFullAsync(cancellationToken);
                    // The cursor of the page being written: a resumed run fetches it again and skips the blocks done.
                    if (cadence.Due)
                    {
                        await SaveAsync(search, cursor, block + 1);
                    }
                }
                skip = 0;
                cursor = outcome is PageOutcome.Page page ? page.Cursor : ((PageOutcome.End)outcome).Cursor;
                if (cadence.Due || cursor.IsEnd)
                {
                    await SaveAsync(search, cursor);
                }
            }
            await SaveAsync(search + 1, null);
        }
        var done = new TypeCheckpoint(searches.Count, null, await file.CompleteAsync(cancellationToken), null, true, errors);
        await UnitPages.SaveCheckpointAsync(context, unit, done, cancellationToken);
        return done;
    }

    private async Task WriteBlockAsync(string exportId, ExportUnit unit, (string Id, byte[] Json) patient, RollingNdjsonFile file, List<string> errors,
        CancellationToken cancellationToken)
    {
        await file.WriteLineAsync(Header(patient.Id), cancellationToken);
        await file.WriteLineAsync(patient.Json, cancellationToken);
        foreach (var search in unit.BlockSearches!)
        {
            var type = search[..search.IndexOf('?')];
            var first = search + Uri.EscapeDataString(patient.Id);
            for (var cursor = SearchCursor.First; !cursor.IsEnd;)
            {
                // One patient's resources: a few pages at most, followed as given (no sort, no count to verify).
                var outcome = await pager.NextAsync(first, null, cursor, (page, trail, token) => file.WritePageAsync(page, trail, token, type, roll: false),
                    cancellationToken);
                if (outcome is PageOutcome.Page or PageOutcome.End)
                {
                    cursor = outcome is PageOutcome.Page page ? page.Cursor : ((PageOutcome.End)outcome).Cursor;
                    continue;
                }
                errors.Add(Stopped(exportId, unit, type, outcome));
                break;
            }
        }
    }

    private string Stopped(string exportId, ExportUnit unit, string type, PageOutcome outcome) => outcome switch
    {
        PageOutcome.Refused refused => UnitPages.Refused(logger, exportId, unit, refused, type),
        PageOutcome.Transient transient => UnitPages.Failed(logger, exportId, type, transient.Url, transient.Reason),
        _ => throw new InvalidOperationException("Not a stopped search."),
    };

    /// <summary>
    /// A page of Patients (small: Export:PatientBatchSize of them) through the same copier as every page, each as the
    /// compact JSON line it wrote, with its id.
    /// </summary>
    private static async Task<BundlePageResult> ReadPatientsAsync(Stream page, PageTrail trail, List<(string Id, byte[] Json)> patients,
        CancellationToken cancellationToken)
    {
        using var lines = new MemoryStream();
        var result = await BundlePageCopier.CopyAsync(page, lines, "Patient", trail, cancellationToken);
        // The copier's lines are compact, so '\n' separates resources.
        var written = lines.GetBuffer().AsSpan(0, (int)lines.Length);
        foreach (var range in written.Split((byte)'\n'))
        {
            var line = written[range];
            if (line.Length > 0 && IdOf(line) is { Length: > 0 } id)
            {
                patients.Add((id, line.ToArray()));
            }
        }
        return result;
    }

    private static string? IdOf(ReadOnlySpan<byte> resource)
    {
        var reader = new Utf8JsonReader(resource);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("id"u8);
            reader.Read();
            if (isId)
            {
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            reader.Skip();
        }
        return null;
    }

    /// <summary>The block header the IG defines: a Parameters resource with a `header` reference to the patient.</summary>
    private static byte[] Header(string patientId)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("resourceType", "Parameters");
            writer.WriteStartArray("parameter");
            writer.WriteStartObject();
            writer.WriteString("name", "header");
            writer.WriteStartObject("valueReference");
            writer.WriteString("reference", "Patient/" + patientId);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
