using AsyncFacade.Server.Async;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Export;

/// <summary>
/// The one place that decides which URL a manifest (export output[]/error[]/deleted[], import error[]) gives for a
/// job's file. With Storage:SignedLinks and a store that signs, the store's own links (Azure SAS, S3 presigned GET),
/// valid until the job's Expires, so clients download straight from storage without a token; otherwise the facade's
/// file URLs, signed when Auth:SignedFileUrls is on (<see cref="Security.FileUrlSigner"/>), served by the facade.
/// </summary>
internal sealed class ManifestLinks(IOutputStore output, IOptions<StorageOptions> storage, Security.FhirAccess access, Security.FileUrlSigner signer,
    IOptions<AsyncOptions> asyncOptions, TimeProvider time)
{
    /// <summary>A manifest whose links are made when it is served: signing may ask the store (a user-delegation key).</summary>
    /// <param name="render">The manifest's JSON, given the links.</param>
    public IResult Manifest(JobRecord job, IEnumerable<string> files, Func<FileLinks, string> render, int status = StatusCodes.Status200OK) =>
        new LinkedManifest(this, job, files, render, status);

    public async Task<FileLinks> ForAsync(JobRecord job, IEnumerable<string> files, CancellationToken cancellationToken)
    {
        // The simulation's require-token behaviour is enforced by the facade's download endpoint, so it keeps facade URLs.
        var requireToken = Simulation.SimulatedBehaviour.Of(job)?.RequireToken == true;
        if (storage.Value.SignedLinks && !requireToken && await StoreLinksAsync(job, files, cancellationToken) is { } links)
        {
            return new FileLinks(name => links[name], RequiresAccessToken: false);
        }
        return new FileLinks(name => signer.Sign(ManifestResponder.FileUrl(job, name)), (access.Enabled && !signer.Enabled) || requireToken);
    }

    /// <returns>Null unless the store signs every file: one manifest says requiresAccessToken once, for all its files.</returns>
    private async Task<Dictionary<string, string>?> StoreLinksAsync(JobRecord job, IEnumerable<string> files, CancellationToken cancellationToken)
    {
        // A running export's partial manifest has no Expires yet: its files live at least a result lifetime from now.
        var expires = job.ExpiresAt ?? time.GetUtcNow() + asyncOptions.Value.ResultTtl;
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in files)
        {
            if (links.ContainsKey(name))
            {
                continue;
            }
            if (await output.GetReadLinkAsync(ExportJobs.FileKey(job.Id, name), expires, cancellationToken) is not { } link)
            {
                return null;
            }
            links[name] = link.AbsoluteUri;
        }
        return links;
    }

    private sealed class LinkedManifest(ManifestLinks links, JobRecord job, IEnumerable<string> files, Func<FileLinks, string> render, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var fileLinks = await links.ForAsync(job, files, httpContext.RequestAborted);
            await ManifestResponder.Manifest(render(fileLinks), status).ExecuteAsync(httpContext);
        }
    }
}
