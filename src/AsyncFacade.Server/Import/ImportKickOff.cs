using AsyncFacade.Server.Async;
using AsyncFacade.Server.Callbacks;
using AsyncFacade.Server.Export;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Hosting;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Import;

/// <summary>
/// `POST /fhir/$import`: every check that can fail is made here, before a job exists: the Bulk Data kick-off checks,
/// the body (either form), and every input URL against the SSRF policy. Then the body is stored and 202 + Content-Location.
/// </summary>
internal sealed class ImportKickOff(JobQueue queue, IOutputStore output, PublicBaseUrl publicBase, CallbackUrlPolicy callbacks, ImportSourcePolicy sources,
    ILogger<ImportKickOff> logger, Security.FhirAccess access)
{
    public async Task<IResult> KickOffAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        var cancellationToken = httpContext.RequestAborted;
        var (prefer, refusal) = await BulkKickOff.CheckAsync(request, "$import", callbacks, cancellationToken);
        if (prefer is null)
        {
            return refusal!;
        }
        if (!FhirMediaTypes.IsJson(request.ContentType))
        {
            return FhirResults.Error(StatusCodes.Status415UnsupportedMediaType, OperationOutcome.IssueType.NotSupported,
                "$import takes a FHIR Parameters resource (application/fhir+json) or a Bulk Data manifest (application/json).", "Content-Type");
        }
        if (await BulkKickOff.ReadBodyAsync(request, cancellationToken) is not { } body)
        {
            return BulkKickOff.TooLarge("$import");
        }
        var lenient = prefer.Others.Any(p => p.Equals("handling=lenient", StringComparison.OrdinalIgnoreCase));
        if (ImportRequestParser.Parse(body, lenient, out var error) is not { } parsed)
        {
            return FhirResults.Error(StatusCodes.Status400BadRequest, error!.NotSupported ? OperationOutcome.IssueType.NotSupported : OperationOutcome.IssueType.Invalid,
                error.Message, error.Parameter);
        }

        // $import writes what it reads: the token must allow writing every input's type.
        if (access.Forbidden(httpContext, parsed.Inputs.Select(i => i.Type), Security.Scopes.ScopePermissions.Create | Security.Scopes.ScopePermissions.Update, bulk: true) is { } forbidden)
        {
            return forbidden;
        }
        var facadeBase = publicBase.FhirBase(request);
        var owner = JobOwner.Of(httpContext.User);
        for (var i = 0; i < parsed.Inputs.Count; i++)
        {
            var (_, problem) = await sources.CheckAsync(parsed.Inputs[i].Url, facadeBase, owner, parsed.RequiresAccessToken, cancellationToken);
            if (problem is not null)
            {
                var at = parsed.Describe(i) + ".url";
                ImportLog.Refused(logger, at, problem.Reason);
                return FhirResults.Error(StatusCodes.Status400BadRequest, problem.Code, $"{at}: {problem.Reason}", at);
            }
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (lenient)
        {
            headers["Prefer"] = "handling=lenient";
        }
        var job = queue.NewJob(ImportJobs.Kind, owner, new JobRequest(HttpMethods.Post, "$import", headers)) with
        {
            Mode = ExportJobs.ManifestMode,
            BaseUrl = facadeBase,
            CallbackUrl = prefer.CallbackUrl,
        };
        job = job with { Request = job.Request with { BodyKey = ImportJobs.RequestBodyKey(job.Id) } };
        // Saved before the job is queued, so the runner never starts without its body.
        await using (var writer = await output.CreateAsync(job.Request.BodyKey!, cancellationToken))
        {
            await writer.Content.WriteAsync(System.Text.Encoding.UTF8.GetBytes(body), cancellationToken);
            await writer.CommitAsync(cancellationToken);
        }
        try
        {
            await queue.EnqueueAsync(job, cancellationToken);
        }
        catch (ActiveJobLimitException full)
        {
            return AsyncResults.TooManyJobs(full);
        }
        ImportLog.KickedOff(logger, job.Id, parsed.Inputs.Count, parsed.Form, parsed.Mode.ToString());
        return AsyncResults.Accepted(job, prefer);
    }
}
