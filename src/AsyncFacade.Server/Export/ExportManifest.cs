using System.Text.Json;
using AsyncFacade.Server.Async;
using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Export;

/// <summary>One Bulk Data manifest (or manifest page) as JSON: absolute file URLs, `outcome` mirroring `error` for the STU4 draft.</summary>
/// <param name="NextPage">The page `link` next points to, if any.</param>
internal sealed record ExportManifest(JobRecord Job, DateTimeOffset TransactionTime, string Request, IReadOnlyList<ExportFile> Output,
    IReadOnlyList<ExportFile> Errors, IReadOnlyList<ExportFile>? Deleted, int? NextPage = null)
{
    /// <summary>`organizeOutputBy`: output items then have no `type` (a file holds blocks of several types).</summary>
    public string? OrganizedBy { get; init; }

    /// <summary>The names of every file this page lists, for <see cref="ManifestLinks"/>.</summary>
    public IEnumerable<string> FileNames => Output.Concat(Errors).Concat(Deleted ?? []).Select(f => f.Name);

    /// <param name="links">The URL per file and whether it needs a token (<see cref="ManifestLinks"/>).</param>
    public string ToJson(FileLinks links)
    {
        var errors = Errors.Select(e => new { type = e.Type, url = links.Url(e.Name), count = e.Count }).ToList();
        var manifest = new Dictionary<string, object>
        {
            ["transactionTime"] = ManifestResponder.TransactionTime(TransactionTime),
            ["request"] = Request,
            ["requiresAccessToken"] = links.RequiresAccessToken,
            ["output"] = OrganizedBy is null
                ? Output.Select(f => (object)new { type = f.Type, url = links.Url(f.Name), count = f.Count })
                : Output.Select(f => (object)new { url = links.Url(f.Name), count = f.Count }),
            ["error"] = errors,
            ["outcome"] = errors,
        };
        if (OrganizedBy is not null)
        {
            manifest["outputOrganizedBy"] = OrganizedBy;
        }
        if (Deleted is { } deleted)
        {
            // Only for `_since` exports, where "what was deleted since" is a question the client asked.
            manifest["deleted"] = deleted.Select(f => new { type = f.Type, url = links.Url(f.Name), count = f.Count });
        }
        if (NextPage is { } next)
        {
            manifest["link"] = new[] { new { relation = "next", url = $"{AsyncResults.StatusUrl(Job)}?page={next}" } };
        }
        return JsonSerializer.Serialize(manifest, ManifestResponder.Json);
    }
}
