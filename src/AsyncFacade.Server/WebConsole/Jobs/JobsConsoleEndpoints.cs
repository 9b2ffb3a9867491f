using System.Security.Cryptography;
using System.Text.Json;
using AsyncFacade.Server.Async;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Jobs;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AsyncFacade.Server.WebConsole.Jobs;

/// <summary>
/// The operators' jobs view: pages `/console/jobs` and `/console/jobs/{id}`, and the JSON API they call under
/// `/console/api/jobs`. Everything is behind <see cref="OperatorAccess"/> (the dashboard's rule).
/// Live updates are polling, not server-sent events: the list page asks every 2 s with If-None-Match and gets a 304
/// while nothing changed. That reads the store, so changes made on any node show up with no fan-out of signals, no
/// per-client buffers or reconnect bookkeeping, and it survives proxies that buffer streams. A page is one bounded query.
/// </summary>
internal static class JobsConsoleEndpoints
{
    public const string PagePath = "/console/jobs";
    public const string ApiPath = "/console/api/jobs";

    public static IServiceCollection AddJobsConsole(this IServiceCollection services) => services.AddSingleton<JobsConsoleViews>();

    public static IEndpointRouteBuilder MapJobsConsole(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup(PagePath).ExcludeFromDescription().AddEndpointFilter((context, next) => OperatorsOnlyAsync(context, next, page: true));
        pages.MapGet("", (Delegate)((HttpContext httpContext) => ConsolePage.RenderAsync(httpContext, "jobs.html")));
        pages.MapGet("/{id}", (Delegate)((HttpContext httpContext) => ConsolePage.RenderAsync(httpContext, "job.html")));

        var api = app.MapGroup(ApiPath).WithTags("Console").AddEndpointFilter((context, next) => OperatorsOnlyAsync(context, next, page: false));
        api.MapGet("", ListAsync)
            .WithName("ConsoleListJobs")
            .WithSummary("Jobs view: top-level jobs, newest first, filtered by state, owner and kind, paged with before (local requests, or remote ones as Jobs:DashboardAllowRemote and Auth:DashboardScope allow)")
            .WithDescription("`limit` 1-200 (default 50). `before` is the `next` of the previous page. The answer has an ETag: " +
                "send it back in If-None-Match and an unchanged page answers 304 (the page polls this every 2 s).")
            .Produces<JobList>(StatusCodes.Status200OK, "application/json").Produces(StatusCodes.Status304NotModified)
            .Produces(StatusCodes.Status400BadRequest, contentType: FhirMediaTypes.Json).Produces(StatusCodes.Status403Forbidden, contentType: FhirMediaTypes.Json);
        api.MapGet("/{id}", DetailAsync)
            .WithName("ConsoleJobDetail")
            .WithSummary("Jobs view: one job with its request (credentials redacted), export units, result and errors")
            .Produces<JobDetail>(StatusCodes.Status200OK, "application/json")
            .Produces(StatusCodes.Status403Forbidden, contentType: FhirMediaTypes.Json).Produces(StatusCodes.Status404NotFound, contentType: FhirMediaTypes.Json);
        api.MapDelete("/{id}", CancelAsync)
            .WithName("ConsoleCancelJob")
            .WithSummary("Jobs view: exactly what DELETE on the job's status URL does (cancel a running job, delete a finished one), for any owner")
            .Produces(StatusCodes.Status202Accepted, contentType: FhirMediaTypes.Json)
            .Produces(StatusCodes.Status403Forbidden, contentType: FhirMediaTypes.Json).Produces(StatusCodes.Status404NotFound, contentType: FhirMediaTypes.Json);
        return app;
    }

    private static async ValueTask<object?> OperatorsOnlyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, bool page)
    {
        var httpContext = context.HttpContext;
        var access = httpContext.RequestServices.GetRequiredService<OperatorAccess>();
        if (access.Allows(httpContext))
        {
            return await next(context);
        }
        var reason = access.Refusal();
        JobsConsoleLog.Refused(Logger(httpContext), httpContext.Request.Path, httpContext.Connection.RemoteIpAddress?.ToString(), reason);
        if (!page)
        {
            return FhirResults.Error(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden, reason);
        }
        httpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
        return await ConsolePage.RenderAsync(httpContext, "jobs-forbidden.html");
    }

    private static async Task<IResult> ListAsync(string? state, string? owner, string? kind, string? limit, string? before, HttpContext httpContext,
        IJobStore store, JobsConsoleViews views)
    {
        var query = new JobQuery { Owner = Blank(owner), Kind = Blank(kind) };
        if (Blank(state) is { } wire)
        {
            if (!Enum.GetValues<JobState>().Any(s => s.ToWire() == wire))
            {
                return Invalid("state", $"'{wire}' is not a job state (queued, running, completed, failed, cancelled, expired).");
            }
            query = query with { State = JobStates.Parse(wire) };
        }
        if (Blank(limit) is { } count)
        {
            if (!int.TryParse(count, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n is < 1 or > JobQuery.MaxLimit)
            {
                return Invalid("limit", $"limit must be a whole number from 1 to {JobQuery.MaxLimit}.");
            }
            query = query with { Limit = n };
        }
        if (Blank(before) is { } cursorText)
        {
            if (!JobListCursor.TryParse(cursorText, out var cursor))
            {
                return Invalid("before", "before must be the `next` value of a previous page.");
            }
            query = query with { Before = cursor };
        }

        var cancellationToken = httpContext.RequestAborted;
        var page = await store.ListAsync(query, cancellationToken);
        var rows = new List<JobSummary>(page.Jobs.Count);
        foreach (var job in page.Jobs)
        {
            rows.Add(await views.SummaryAsync(job, cancellationToken));
        }
        return Conditional(httpContext, new JobList(rows, page.Next is { } next ? JobListCursor.Format(next) : null));
    }

    private static async Task<IResult> DetailAsync(string id, HttpContext httpContext, IJobStore store, JobsConsoleViews views)
    {
        // Read as stored, not as a status poll: an operator still sees a cancelled job until the clean-up removes it.
        var job = Storage.OutputKey.IsValid(id) && !id.Contains('/') ? await store.GetAsync(id, httpContext.RequestAborted) : null;
        if (job is null || job.ParentId is not null)
        {
            return AsyncResults.NotFound(id);
        }
        httpContext.Response.Headers.CacheControl = "no-store";
        return Results.Json(await views.DetailAsync(job, httpContext.RequestAborted));
    }

    // DELETE, not POST: a page on another site cannot send it without a CORS preflight, which this server never grants.
    private static async Task<IResult> CancelAsync(string id, HttpContext httpContext, AsyncStatus status)
    {
        // The status URL's own lookup minus the owner check, then its own cancel: one code path for both.
        var job = await status.FindAnyOwnerAsync(id, httpContext.RequestAborted);
        if (job is null)
        {
            return AsyncResults.NotFound(id);
        }
        JobsConsoleLog.Cancelled(Logger(httpContext), id, httpContext.Connection.RemoteIpAddress?.ToString());
        return await status.CancelAsync(job, httpContext.RequestAborted);
    }

    /// <summary>The page as JSON with a strong ETag over its bytes; 304 when the caller already has it.</summary>
    private static IResult Conditional<T>(HttpContext httpContext, T value)
    {
        var json = httpContext.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var body = JsonSerializer.SerializeToUtf8Bytes(value, json);
        var etag = new EntityTagHeaderValue("\"" + Convert.ToBase64String(SHA256.HashData(body), 0, 18) + "\"");
        var headers = httpContext.Response.Headers;
        headers.ETag = etag.ToString();
        headers.CacheControl = "no-cache";
        if (EntityTagHeaderValue.TryParseList(httpContext.Request.Headers.IfNoneMatch, out var sent) && sent.Any(tag => tag.Compare(etag, useStrongComparison: true)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Bytes(body, "application/json");
    }

    private static IResult Invalid(string parameter, string message) =>
        FhirResults.Error(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, message, parameter);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static ILogger Logger(HttpContext httpContext) =>
        httpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(JobsConsoleEndpoints));
}
