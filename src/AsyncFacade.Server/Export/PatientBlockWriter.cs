using System.Text.Json;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using AsyncFacade.Server.Upstream;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Export;

/// <summary>
/// `organizeOutputBy=Patient`: pages the unit's Patient searches and writes one resource block per patient, as the Bulk
/// Data IG specifies: a `Parameters` header naming the patient, the Patient, then the patient's resources (each block
/// search with the patient's id, every page). A file is rolled only between blocks, so a block never spans files
/// (`continuesInFile` is never needed). A checkpoint after every block: a resumed unit refetches the Patient page it
/// was on and skips the blocks already written. Memory holds one Patient page, never a block.
/// </summary>
internal sealed class PatientBlockWriter(UpstreamClient upstream, IOutputStore output, IOptions<ExportOptions> options, ILogger<PatientBlockWriter> logger)
{
    public async Task<TypeCheckpoint> ExportFromAsync(JobContext context, ExportUnit unit, TypeCheckpoint start, CancellationToken cancellationToken)
    {
        var exportId = context.Job.ParentId!;
        var errors = new List<string>(start.Errors ?? []);
        var searches = unit.Searches;
        await using var file = new RollingNdjsonFile(output, exportId, unit.Type, unit.FileStem, options.Value.MaxResourcesPerFile, start);
        Task SaveAsync(TypeCheckpoint position) => UnitPages.SaveCheckpointAsync(context, unit, position, cancellationToken);

        for (var search = start.Search; search < searches.Count; search++)
        {
            var skip = search == start.Search ? start.Blocks : 0;
            for (var next = search == start.Search && start.Next is not null ? start.Next : searches[search]; next is not null;)
            {
                var url = next;
                var (patients, following, reason) = await ReadPatientsAsync(url, cancellationToken);
                if (reason is not null)
                {
                    errors.Add(UnitPages.Failed(logger, exportId, "Patient", url, reason));
                    break;
                }
                for (var block = skip; block < patients.Count; block++)
                {
                    await WriteBlockAsync(exportId, unit, patients[block], file, errors, cancellationToken);
                    await file.RollIfFullAsync(cancellationToken);
                    await SaveAsync(new TypeCheckpoint(search, url, file.Committed, file.Open, false, errors, block + 1));
                }
                skip = 0;
                next = following;
                await SaveAsync(new TypeCheckpoint(search, next, file.Committed, file.Open, false, errors));
            }
            await SaveAsync(new TypeCheckpoint(search + 1, null, file.Committed, file.Open, false, errors));
        }
        var done = new TypeCheckpoint(searches.Count, null, await file.CompleteAsync(cancellationToken), null, true, errors);
        await SaveAsync(done);
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
            for (string? url = search + Uri.EscapeDataString(patient.Id); url is not null;)
            {
                var page = await UnitPages.CopyAsync(upstream, url, file, cancellationToken, type, roll: false);
                if (page.Reason is { } reason)
                {
                    errors.Add(UnitPages.Failed(logger, exportId, type, url, reason));
                    break;
                }
                url = page.Next;
            }
        }
    }

    /// <summary>A page of Patients (small: Export:PatientBatchSize of them), each as compact JSON, and its `next` link.</summary>
    private async Task<(List<(string Id, byte[] Json)> Patients, string? Next, string? Reason)> ReadPatientsAsync(string url, CancellationToken cancellationToken)
    {
        using var answer = await upstream.GetJsonAsync(url, cancellationToken);
        if (answer.Json is not { } bundle)
        {
            return ([], null, answer.Problem);
        }
        var patients = new List<(string, byte[])>();
        IEnumerable<JsonElement> entries = bundle.RootElement.TryGetProperty("entry", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : [];
        foreach (var entry in entries)
        {
            var isMatch = !entry.TryGetProperty("search", out var search) || !search.TryGetProperty("mode", out var mode) || mode.GetString() == "match";
            if (isMatch && entry.TryGetProperty("resource", out var resource) && resource.TryGetProperty("resourceType", out var type) &&
                type.GetString() == "Patient" && resource.TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } patientId)
            {
                patients.Add((patientId, JsonSerializer.SerializeToUtf8Bytes(resource)));
            }
        }
        return (patients, UnitPages.RelativeToUpstream(upstream, NextLink(bundle.RootElement)), null);
    }

    private static string? NextLink(JsonElement bundle)
    {
        IEnumerable<JsonElement> links = bundle.TryGetProperty("link", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : [];
        foreach (var link in links)
        {
            if (link.TryGetProperty("relation", out var relation) && relation.GetString() == "next" && link.TryGetProperty("url", out var url))
            {
                return url.GetString();
            }
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
