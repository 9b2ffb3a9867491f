using AsyncFacade.SampleUpstream.Search;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>System-level `_history` (`GET [base]/_history?_since=…`), when <see cref="Profiles.HistoryQuirks.SystemHistory"/> is on.</summary>
internal static class HistoryEndpoints
{
    private const string Context = "history/*";

    private static readonly string[] Types = [.. ModelInfo.SupportedResources.Where(ResourceTypes.IsKnown).Order(StringComparer.Ordinal)];

    public static IResult System(HttpRequest request, SystemHistoryCollector collector, CursorCodec cursors, IOptions<SampleUpstreamOptions> options)
    {
        var settings = options.Value;
        if (!settings.History.SystemHistory)
        {
            return new OperationOutcomeResult(new FhirError(StatusCodes.Status404NotFound, "not-supported", "This server has no system-level history."));
        }
        var query = QueryParameters.From(request.Query, QueryParameters.IsStrict(request));
        var sinceMs = long.MinValue;
        var error = query.Parse(settings.DefaultPageSize, settings.MaxPageSize, out var count, (name, value) =>
            name == "_since" ? (true, SinceParameter.Parse(value, out sinceMs)) : (false, null));
        var start = PageCursor.Start;
        if (error is null && query.Cursor is not null && !cursors.TryDecode(query.Cursor, Context, out start))
        {
            error = FhirError.Invalid("The _cursor is not valid for this history.");
        }
        if (error is not null)
        {
            return new OperationOutcomeResult(error);
        }
        var items = new List<Store.ResourceVersion>(Math.Min(count, 1024));
        var next = collector.Collect(Types, sinceMs, start, count, items, out var total);
        var baseUrl = FhirRequestBase.Of(request, settings.BasePath);
        var nextUrl = next is { } position ? query.Link(baseUrl, "_history", cursors.Encode(position, Context)) : null;
        var page = new SearchPage("history", total, query.Link(baseUrl, "_history", query.Cursor), nextUrl, [], items);
        return new SearchPageResult(page, baseUrl);
    }
}
