using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Plans an `organizeOutputBy=Patient` export: units of patients, each writing one block per patient. Listed patients
/// (group members, `patient=`) are split into parts of patient batches; otherwise Patient is split into `_lastUpdated`
/// slices of about Export:SliceSize resources of blocks (patients × the average block size, from the counts). Types
/// the upstream counts as empty are left out of the blocks: each would cost a request per patient for nothing.
/// </summary>
internal sealed class PatientBlockPlanner(TimeSlicer slicer, IOptions<ExportOptions> options)
{
    /// <summary>Without counts, a guess at a block's size (the Patient and its resources).</summary>
    private const double UncountedBlockSize = 20;

    public async Task<IReadOnlyList<ExportUnit>> PlanAsync(IReadOnlyList<string> types, UpstreamCapabilities capabilities, IReadOnlyList<string>? patients,
        DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        var counts = new ConcurrentDictionary<string, long?>(StringComparer.Ordinal);
        var counting = new ParallelOptions { MaxDegreeOfParallelism = 4 * options.Value.MaxParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(types.Append("Patient").Distinct(), counting, async (type, token) =>
            counts[type] = capabilities.TotalTypes.Contains(type) ? await slicer.CountAsync(type, "", null, upTo, token) : null);
        var blockTypes = types.Where(t => t != "Patient" && counts[t] != 0).ToList();
        var batch = options.Value.PatientBatchSize;

        List<IReadOnlyList<string>> parts;
        if (patients is not null)
        {
            var searches = ExportPlan.PatientScopes("Patient", patients, batch).Select(scope => ExportPlan.Search("Patient", scope, null, upTo, batch)).ToList();
            var size = Math.Max(1, (int)Math.Ceiling(searches.Count / (double)Math.Clamp(searches.Count / 10, 1, options.Value.MaxParallelism)));
            parts = [.. searches.Chunk(size)];
        }
        else
        {
            var blockSize = counts["Patient"] is > 0 and { } people && blockTypes.All(t => counts[t] is not null)
                ? 1 + (blockTypes.Sum(t => counts[t]!.Value) / (double)people)
                : UncountedBlockSize;
            var slices = capabilities.TotalTypes.Contains("Patient")
                ? await slicer.SliceAsync("Patient", "", null, upTo, cancellationToken, (long)Math.Max(1, options.Value.SliceSize / blockSize))
                : [new TimeSlicer.Slice(null, upTo, null)];
            parts = [.. slices.Where(s => s.Count != 0).Select(s => (IReadOnlyList<string>)[ExportPlan.Search("Patient", "", s.After, s.UpTo, batch)])];
        }
        var blockSearches = blockTypes.Select(type => ExportPlan.Search(type, "patient=", null, upTo, options.Value.PageSize)).ToList();
        return parts.Select((searches, i) => new ExportUnit(i, "Patient", searches, parts.Count == 1 ? "Patient-blocks" : $"Patient-blocks-part{i + 1}",
            [], false, null, blockSearches)).ToList();
    }
}
