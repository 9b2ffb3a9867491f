using System.Text.Json;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Export.Paging;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Export;

/// <summary>What every export unit does around its pages: checkpoint, and report a search that stopped.</summary>
internal static class UnitPages
{
    /// <summary>The error line for a search that stopped on a transient failure (logged too): a new export may well get it.</summary>
    public static string Failed(ILogger logger, string exportId, string type, string url, string reason)
    {
        ExportLog.TypeFailed(logger, exportId, type, url, reason);
        return ExportErrors.Line(type, OperationOutcome.IssueType.Transient, $"Exporting {type} stopped at {url}: {reason}. Resources before that point were exported.");
    }

    /// <summary>
    /// The error line for a search the upstream refused on its first page (logged too): terminal, with the upstream's own
    /// reason. A plain search refused means the type cannot be searched (a CapabilityStatement listing Binary anyway).
    /// </summary>
    public static string Refused(ILogger logger, string exportId, ExportUnit unit, PageOutcome.Refused refused, string? type = null)
    {
        type ??= unit.Type;
        ExportLog.TypeFailed(logger, exportId, type, refused.Url, refused.Reason);
        var code = UpstreamRefusal.CodeFor(refused.Status, !unit.Filtered);
        var text = code == OperationOutcome.IssueType.NotSupported
            ? $"The upstream lists {type} but refuses to search it ({refused.Reason}); {type} cannot be exported from this server."
            : $"The upstream refused the search {refused.Url} ({refused.Reason}); its {type} resources were not exported.";
        return ExportErrors.Line(type, code, text);
    }

    public static async Task SaveCheckpointAsync(JobContext context, ExportUnit unit, TypeCheckpoint position, CancellationToken cancellationToken)
    {
        if (!await context.SaveCheckpointAsync(JsonSerializer.Serialize(new ExportUnitCheckpoint(unit, position)), cancellationToken))
        {
            // Cancelled or taken over: stop writing; whoever holds the unit now owns its files.
            throw new OperationCanceledException("This run no longer holds the export unit.");
        }
    }
}
