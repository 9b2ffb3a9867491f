using AsyncFacade.SampleUpstream.Faults;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Hosting;
using AsyncFacade.Server.Jobs;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Simulation;

/// <summary>
/// The way into the reference-test-server mode: `/sim/{behaviours}/fhir/…` is served as `/fhir/…` with
/// `X-Simulate: {behaviours}`; `X-Simulate` and `X-Simulate-Upstream` are checked (a bad one is a 400) and kept with
/// any job this request starts. From there the job takes the same code paths as any other.
/// </summary>
internal sealed class SimulationMiddleware(RequestDelegate next, IOptions<SimulationOptions> options)
{
    public const string PathPrefix = "/sim";

    public Task InvokeAsync(HttpContext httpContext)
    {
        if (!options.Value.Enabled)
        {
            return next(httpContext);
        }
        var request = httpContext.Request;
        if (request.Path.StartsWithSegments(PathPrefix, out var rest))
        {
            var segments = (rest.Value ?? "").TrimStart('/').Split('/', 2);
            if (segments.Length < 2 || !("/" + segments[1]).StartsWith(PublicBaseUrl.FhirPath, StringComparison.Ordinal))
            {
                return Refuse(httpContext, StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound,
                    $"Simulation URLs look like {PathPrefix}/{{behaviours}}{PublicBaseUrl.FhirPath}/…, e.g. {PathPrefix}/duration=10,poll-429{PublicBaseUrl.FhirPath}/$export.");
            }
            request.Headers[SimulatedBehaviour.Header] = Uri.UnescapeDataString(segments[0]);
            request.Path = "/" + segments[1];
        }

        var kept = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (request.Headers[SimulatedBehaviour.Header] is { Count: > 0 } simulate)
        {
            if (!SimulatedBehaviour.TryParse(simulate.ToString(), out var behaviour, out var error))
            {
                return Refuse(httpContext, StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, error!);
            }
            kept[SimulatedBehaviour.Header] = simulate.ToString();
            if (behaviour!.Partial && HttpMethods.IsGet(request.Method) && request.Path.Value!.EndsWith("$export", StringComparison.Ordinal)
                && !request.Query.ContainsKey("allowPartialManifests"))
            {
                request.QueryString = request.QueryString.Add("allowPartialManifests", "true");
            }
        }
        if (request.Headers[SimulatedBehaviour.UpstreamHeader] is { Count: > 0 } upstream)
        {
            if (!FaultPlan.TryParse(upstream.ToString(), out _, out var error))
            {
                return Refuse(httpContext, StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, $"{SimulatedBehaviour.UpstreamHeader}: {error}");
            }
            // The sample upstream reads it under its own name on every call the job makes.
            kept[FaultPlan.Header] = upstream.ToString();
        }
        if (kept.Count > 0)
        {
            httpContext.Items[JobQueue.KeptHeadersItem] = kept;
        }
        return next(httpContext);
    }

    private static Task Refuse(HttpContext httpContext, int status, OperationOutcome.IssueType code, string diagnostics) =>
        FhirResults.WriteErrorAsync(httpContext, status, code, diagnostics);
}
