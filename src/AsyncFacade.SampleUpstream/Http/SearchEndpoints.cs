using AsyncFacade.SampleUpstream.Store;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>Type search (GET and POST _search), type history and Patient <c>$everything</c>.</summary>
internal static class SearchEndpoints
{
    public static async Task<IResult> SearchAsync(string type, HttpRequest request, SearchService search, IOptions<SampleUpstreamOptions> options, CancellationToken cancellationToken)
    {
        var path = type;
        var query = await ParametersAsync(request, cancellationToken);
        if (type == SearchPaging.OtherPath && options.Value.Paging.LinkStyle == Profiles.PagingLinkStyle.OtherPath)
        {
            // An OtherPath next link: the searched type travels in _type (one type; multi-type system search is not modelled).
            type = query.Last("_type") ?? string.Empty;
            if (!ResourceTypes.IsKnown(type) || type.Contains(','))
            {
                return new OperationOutcomeResult(FhirError.Invalid($"{SearchPaging.OtherPath} needs _type naming one resource type, not '{type}'."));
            }
        }
        else if (!ResourceTypes.IsKnown(type))
        {
            return new OperationOutcomeResult(FhirError.UnknownType(type));
        }
        var baseUrl = FhirRequestBase.Of(request, options.Value.BasePath);
        var error = search.Search(baseUrl, type, path, query, out var page);
        return error is not null ? new OperationOutcomeResult(error) : new SearchPageResult(page!, baseUrl);
    }

    /// <summary>
    /// <c>GET [base]?_getpages=…</c>: a page of a search kept server-side (<see cref="Profiles.PagingLinkStyle.PageCache"/>).
    /// Any other GET on the base is not an interaction this server has.
    /// </summary>
    public static IResult BaseGet(HttpRequest request, SearchPaging paging, IOptions<SampleUpstreamOptions> options)
    {
        var query = QueryParameters.From(request.Query, QueryParameters.IsStrict(request));
        if (query.Last("_getpages") is null)
        {
            return new OperationOutcomeResult(new FhirError(StatusCodes.Status405MethodNotAllowed, "not-supported", $"{request.Method} is not supported on {request.Path}."));
        }
        var baseUrl = FhirRequestBase.Of(request, options.Value.BasePath);
        var error = paging.CachedPage(baseUrl, query, out var page);
        return error is not null ? new OperationOutcomeResult(error) : new SearchPageResult(page!, baseUrl);
    }

    public static IResult History(string type, HttpRequest request, SearchService search, IOptions<SampleUpstreamOptions> options)
    {
        if (!ResourceTypes.IsKnown(type))
        {
            return new OperationOutcomeResult(FhirError.UnknownType(type));
        }
        var query = QueryParameters.From(request.Query, QueryParameters.IsStrict(request));
        var baseUrl = FhirRequestBase.Of(request, options.Value.BasePath);
        var error = search.History(baseUrl, type, query, out var page);
        return error is not null ? new OperationOutcomeResult(error) : new SearchPageResult(page!, baseUrl);
    }

    public static async Task<IResult> EverythingAsync(string type, string id, HttpRequest request, ResourceStore store, SearchService search, IOptions<SampleUpstreamOptions> options, CancellationToken cancellationToken)
    {
        var error = InstanceEndpoints.CheckTypeAndId(type, id);
        if (error is null && type != "Patient")
        {
            error = FhirError.NotSupported($"$everything is supported on Patient only, not {type}.");
        }
        if (error is null)
        {
            var patient = store.Read("Patient", id);
            error = patient.Status switch
            {
                ReadStatus.NotFound => FhirError.NotFound($"Patient/{id} is not known."),
                ReadStatus.Gone => FhirError.Gone($"Patient/{id} was deleted."),
                _ => null,
            };
        }
        if (error is not null)
        {
            return new OperationOutcomeResult(error);
        }
        var query = await ParametersAsync(request, cancellationToken);
        var baseUrl = FhirRequestBase.Of(request, options.Value.BasePath);
        error = search.Everything(baseUrl, id, query, out var page);
        return error is not null ? new OperationOutcomeResult(error) : new SearchPageResult(page!, baseUrl);
    }

    /// <summary>Query string parameters, plus form fields for POST (_search and POSTed operations).</summary>
    private static async Task<QueryParameters> ParametersAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var strict = QueryParameters.IsStrict(request);
        if (!HttpMethods.IsPost(request.Method) || !request.HasFormContentType)
        {
            return QueryParameters.From(request.Query, strict);
        }
        var form = await request.ReadFormAsync(cancellationToken);
        var all = new List<KeyValuePair<string, StringValues>>(request.Query);
        all.AddRange(form);
        return QueryParameters.From(all, strict);
    }
}
