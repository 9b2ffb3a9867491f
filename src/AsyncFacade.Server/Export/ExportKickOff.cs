using System.Text;
using AsyncFacade.Server.Async;
using AsyncFacade.Server.Callbacks;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Hosting;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using AsyncFacade.Server.Upstream;
using Hl7.Fhir.Model;
using Microsoft.Net.Http.Headers;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Bulk Data kick-off at system, patient and group level (GET with query parameters, or POST with a Parameters body):
/// every check that can fail is made here, before a job exists; then 202 + Content-Location.
/// </summary>
internal sealed class ExportKickOff(JobQueue queue, IOutputStore output, PublicBaseUrl publicBase, CallbackUrlPolicy callbacks, UpstreamClient upstream,
    TypeFilterCheck typeFilters, UpstreamCapabilityCache capabilityCache, ILogger<ExportKickOff> logger, Security.FhirAccess access)
{
    public async Task<IResult> KickOffAsync(HttpContext httpContext, ExportLevel level, string? groupId)
    {
        var request = httpContext.Request;
        var cancellationToken = httpContext.RequestAborted;
        var (prefer, refusal) = await BulkKickOff.CheckAsync(request, "$export", callbacks, cancellationToken);
        if (prefer is null)
        {
            return refusal!;
        }
        if (groupId is not null && !Import.ResourceId.IsValid(groupId))
        {
            // Checked here, not left to the upstream: its 400 for a malformed id would not stop the job being created.
            return Invalid("id", $"'{groupId}' is not a FHIR id ([A-Za-z0-9-.], at most 64 characters), so it names no Group.");
        }

        var lenient = prefer.Others.Any(p => p.Equals("handling=lenient", StringComparison.OrdinalIgnoreCase));
        string? body = null;
        ExportRequest? parsed;
        ExportRequestError? error;
        if (HttpMethods.IsPost(request.Method))
        {
            if (!FhirMediaTypes.IsJson(request.ContentType))
            {
                return FhirResults.Error(StatusCodes.Status415UnsupportedMediaType, OperationOutcome.IssueType.NotSupported,
                    "A POST kick-off carries a FHIR Parameters resource as application/fhir+json.", "Content-Type");
            }
            if (await BulkKickOff.ReadBodyAsync(request, cancellationToken) is not { } text)
            {
                return BulkKickOff.TooLarge("Parameters");
            }
            body = text;
            parsed = ExportRequestParser.ParseParameters(level, groupId, body, lenient, out error);
        }
        else
        {
            parsed = ExportRequestParser.Parse(level, groupId, request.Query, lenient, out error);
        }
        if (error is not null || parsed is null)
        {
            return Invalid(error?.Parameter ?? "request", error?.Message ?? "The kick-off request is not valid.");
        }
        if (Unsupported(parsed) is { } notSupported)
        {
            return FhirResults.Error(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.NotSupported, notSupported.Message, notSupported.Parameter);
        }
        var scopes = access.ScopesOf(httpContext);
        if (scopes is not null)
        {
            var (authorized, refused) = await AuthorizeAsync(httpContext, parsed, scopes, cancellationToken);
            if (refused is not null)
            {
                return refused;
            }
            parsed = authorized!;
        }
        if (groupId is not null && await GroupMissingAsync(groupId, cancellationToken) is { } missing)
        {
            return missing;
        }
        if (!lenient && parsed.TypeFilters.Count > 0 && await UnappliedFilterAsync(parsed, cancellationToken) is { } unapplied)
        {
            return unapplied;
        }

        var relativeUrl = request.Path.Value![PublicBaseUrl.FhirPath.Length..].TrimStart('/') + request.QueryString.Value;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (lenient)
        {
            headers["Prefer"] = "handling=lenient";
        }
        var job = queue.NewJob(ExportJobs.Kind, JobOwner.Of(httpContext.User), new JobRequest(request.Method, relativeUrl, headers) { Scopes = scopes is null ? null : CallerScopes.Of(httpContext.User) }) with
        {
            Mode = ExportJobs.ManifestMode,
            BaseUrl = publicBase.FhirBase(request),
            CallbackUrl = prefer.CallbackUrl,
        };
        if (body is not null)
        {
            await using var writer = await output.CreateAsync(ExportJobs.RequestBodyKey(job.Id), cancellationToken);
            await writer.Content.WriteAsync(Encoding.UTF8.GetBytes(body), cancellationToken);
            await writer.CommitAsync(cancellationToken);
            job = job with { Request = job.Request with { BodyKey = ExportJobs.RequestBodyKey(job.Id) } };
        }
        try
        {
            await queue.EnqueueAsync(job, cancellationToken);
        }
        catch (ActiveJobLimitException full)
        {
            return AsyncResults.TooManyJobs(full);
        }
        ExportLog.KickedOff(logger, job.Id, level.ToString(), parsed.Types.Count);
        return AsyncResults.Accepted(job, prefer);
    }

    /// <summary>
    /// The token's scopes against the types this export would include (<see cref="ExportAuthorization"/>): the export as
    /// the token may run it, or the refusal. Listing the types takes the upstream's CapabilityStatement, unless the token
    /// reads every type anyway; if it cannot be read now, the kick-off cannot be checked and is answered 503.
    /// </summary>
    private async Task<(ExportRequest? Request, IResult? Refusal)> AuthorizeAsync(HttpContext httpContext, ExportRequest parsed, Security.Scopes.SmartScopes scopes, CancellationToken cancellationToken)
    {
        UpstreamCapabilities? capabilities = null;
        IReadOnlyList<string> types = parsed.Types;
        if (!ExportAuthorization.CoversEveryType(parsed, scopes))
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(FilterCheckTimeout);
            try
            {
                capabilities = await capabilityCache.GetAsync(upstream, deadline.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                capabilities = null;
            }
            if (capabilities is null)
            {
                return (null, FhirResults.RetryLater(StatusCodes.Status503ServiceUnavailable, OperationOutcome.IssueType.Transient,
                    "The upstream's CapabilityStatement could not be read, so the token's scopes cannot be checked against the types this export includes; try again later.",
                    retryAfterSeconds: 10));
            }
            if (types.Count == 0)
            {
                types = ExportPlan.Types(parsed.OrganizeOutputBy is null ? parsed : parsed with { Level = ExportLevel.Patient }, capabilities);
            }
        }
        var result = ExportAuthorization.Apply(parsed, scopes, types);
        if (result.Request is null)
        {
            return (null, access.Refuse(httpContext, Security.Scopes.ScopeRefusal.Forbidden(result.Refusal!, result.NeededScopes!)));
        }
        if (result.ScopeFiltered.Count > 0 && capabilities is not null)
        {
            // A scope filter the upstream would not apply cannot limit the export: refused whatever the client's handling.
            var problems = await typeFilters.FindProblemsAsync(
                [.. result.Request.TypeFilters.Where(f => result.ScopeFiltered.Contains(f.Type))], capabilities, lenient: false, cancellationToken);
            if (problems.Count > 0)
            {
                return (null, access.Refuse(httpContext, Security.Scopes.ScopeRefusal.Forbidden(
                    $"The token reads {string.Join(", ", problems.Select(p => p.Filter.Type).Distinct())} only through a scope filter the upstream cannot apply ({string.Join("; ", problems.Select(p => p.Describe()))}), so this export cannot be limited to it.",
                    string.Join(' ', problems.Select(p => $"system/{p.Filter.Type}.rs").Distinct()))));
            }
        }
        return (result.Request, null);
    }

    /// <summary>What this server validates but does not carry out: refused plainly rather than silently ignored.</summary>
    private static ExportRequestError? Unsupported(ExportRequest request) => request.OrganizeOutputBy switch
    {
        null => null,
        not "Patient" => new("organizeOutputBy", $"organizeOutputBy={request.OrganizeOutputBy} is not supported; only Patient is."),
        _ when request.Elements.Count > 0 => new("_elements", "_elements cannot be combined with organizeOutputBy on this server."),
        _ when request.TypeFilters.Count > 0 => new("_typeFilter", "_typeFilter cannot be combined with organizeOutputBy on this server."),
        // A patient's block is written whole; with _since an unchanged patient would head a block of changed resources.
        _ when request.Since is not null => new("_since", "_since cannot be combined with organizeOutputBy on this server."),
        _ => null,
    };

    /// <summary>An unknown group is a 404 now, not a job that fails later. An upstream that cannot answer is left to the job.</summary>
    private async Task<IResult?> GroupMissingAsync(string groupId, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await upstream.GetAsync("Group/" + Uri.EscapeDataString(groupId), cancellationToken);
            return response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Gone
                ? FhirResults.Error(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"Group/{groupId} does not exist upstream.")
                : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static readonly TimeSpan FilterCheckTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Under strict handling (the Bulk Data default for `_typeFilter`) a filter the upstream would not apply is refused now:
    /// exporting the whole type instead would hand out resources the client asked to leave out. An upstream whose
    /// CapabilityStatement cannot be read now is left to the job, which fails on it with a clear outcome.
    /// </summary>
    private async Task<IResult?> UnappliedFilterAsync(ExportRequest parsed, CancellationToken cancellationToken)
    {
        // A kick-off answers in seconds even when the upstream is slow or throttling (its calls retry for up to
        // Upstream:RetryBudgetSeconds): past this, or with the upstream refusing our credentials, the check is left to the
        // job (its pages carry Prefer: handling=strict; refused credentials fail it with `login`).
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(FilterCheckTimeout);
        IReadOnlyList<TypeFilterProblem> problems;
        try
        {
            var capabilities = await UpstreamCapabilities.ReadAsync(upstream, deadline.Token);
            problems = await typeFilters.FindProblemsAsync(parsed.TypeFilters, capabilities, lenient: false, deadline.Token);
        }
        catch (Exception ex) when (ex is JobFailedException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
        return problems.Count == 0 ? null : FhirResults.Error(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.NotSupported,
            string.Join("; ", problems.Select(p => p.Describe())) + ". Remove the filter, or send Prefer: handling=lenient to export without it.",
            ExportParameterNames.TypeFilter);
    }

    private static IResult Invalid(string parameter, string message) => BulkKickOff.Invalid(parameter, message);
}
