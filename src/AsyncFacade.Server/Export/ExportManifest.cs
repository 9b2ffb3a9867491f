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

    /// <summary>How file URLs are handed out (signed, with `Auth:SignedFileUrls`); null: as they are.</summary>
    public Security.FileUrlSigner? Signer { get; init; }

    /// <summary>Files need the owner's bearer token: auth is on and file URLs are not signed.</summary>
    public bool RequiresAccessToken { get; init; }

    private string Url(string name) => Signer is null ? ManifestResponder.FileUrl(Job, name) : Signer.Sign(ManifestResponder.FileUrl(Job, name));

    public string ToJson()
    {
        var errors = Errors.Select(e => new { type = e.Type, url = Url(e.Name), count = e.Count }).ToList();
        var manifest = new Dictionary<string, object>
        {
            ["transactionTime"] = ManifestResponder.TransactionTime(TransactionTime),
            ["request"] = Request,
            ["requiresAccessToken"] = RequiresAccessToken,
            ["output"] = OrganizedBy is null
                ? Output.Select(f => (object)new { type = f.Type, url = Url(f.Name), count = f.Count })
                : Output.Select(f => (object)new { url = Url(f.Name), count = f.Count }),
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
            manifest["deleted"] = deleted.Select(f => new { type = f.Type, url = Url(f.Name), count = f.Count });
        }
        if (NextPage is { } next)
        {
            manifest["link"] = new[] { new { relation = "next", url = $"{AsyncResults.StatusUrl(Job)}?page={next}" } };
        }
        return JsonSerializer.Serialize(manifest, ManifestResponder.Json);
    }
}
