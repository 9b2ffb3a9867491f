using AsyncFacade.SampleUpstream.Generation;
using AsyncFacade.SampleUpstream.Search;
using AsyncFacade.SampleUpstream.Store;
using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>Turns type search, <c>$everything</c> and type history requests into collected pages.</summary>
internal sealed class SearchService(ResourceStore store, PageCollector pages, CursorCodec cursors, SearchPaging paging, IOptions<SampleUpstreamOptions> options)
{
    /// <summary>Types <c>$everything</c> returns besides the Patient, in output order.</summary>
    private static readonly string[] CompartmentTypes = ["Encounter", "Observation", "Condition", "MedicationRequest"];

    /// <summary>A type search on its own path (batch entries use this).</summary>
    public FhirError? Search(string baseUrl, string type, QueryParameters query, out SearchPage? page) => Search(baseUrl, type, type, query, out page);

    /// <param name="path">The path the search came on: the type, or <see cref="SearchPaging.OtherPath"/> when following such a link.</param>
    public FhirError? Search(string baseUrl, string type, string path, QueryParameters query, out SearchPage? page)
    {
        page = null;
        if (options.Value.Paging.UnsearchableTypes.Contains(type, StringComparer.Ordinal))
        {
            // Medplum refuses Binary although its CapabilityStatement lists search-type for it (packages/server/src/fhir/search.ts,
            // validateSearchResourceType: badRequest("Cannot search on Binary resource type")).
            return FhirError.Invalid($"Cannot search on {type} resource type");
        }
        var plan = new SearchPlan(type, store.Data.Find(type));
        var request = new PagingRequest();
        var error = query.Parse(options.Value.DefaultPageSize, options.Value.MaxPageSize, out var count, (name, value) =>
        {
            if (paging.TryRead(name, value, query.Strict, request, out var pagingError))
            {
                return (true, pagingError);
            }
            switch (name)
            {
                case "_id":
                    var ids = Split(value);
                    if (ids.Count == 0)
                    {
                        return (true, FhirError.Invalid("_id needs at least one id."));
                    }
                    plan.RestrictIds(ids);
                    return (true, null);
                case "_lastUpdated":
                    if (!LastUpdatedFilter.TryParse(value, out var from, out var to, out var message, out var unsupported))
                    {
                        return (true, unsupported ? FhirError.NotSupported(message!) : FhirError.Invalid(message!));
                    }
                    plan.RestrictLastUpdated(from, to);
                    return (true, null);
                case "patient" or "subject" when HasPatientParameter(type):
                    var references = Split(value);
                    if (references.Count == 0)
                    {
                        return (true, FhirError.Invalid($"{name} needs a Patient reference."));
                    }
                    // A bare id means a patient; a reference to anything else (subject=Group/x) matches nothing here.
                    var patients = references.ConvertAll(r => CompartmentReference.PatientIdFromReference(r) ?? (r.Contains('/') ? string.Empty : r));
                    plan.RestrictPatients(patients, store.Data.Patient);
                    return (true, null);
                case "category" when plan.Generated is ObservationGenerator observations:
                    if (TokenFilter.Parse(value) is not { } category)
                    {
                        return (true, FhirError.Invalid("category needs a token (code or system|code)."));
                    }
                    plan.RestrictWhere(index => category.Matches(observations.CategoryOf(index)), version => category.Matches(version.Json!, "category"));
                    return (true, null);
                case "_type" when path == SearchPaging.OtherPath:
                    return (true, null); // names the type of an OtherPath link; the endpoint resolved it
                default:
                    return (false, null);
            }
        });
        plan.ApplyFilters();
        return error ?? paging.Page(baseUrl, type, path, query, request, plan, count, out page);
    }

    /// <summary>Whether <paramref name="type"/> has the `patient` and `subject` search parameters here (see <see cref="Profiles.PagingQuirks.TypesWithoutPatientParameter"/>).</summary>
    public static bool HasPatientParameter(string type, SampleUpstreamOptions options) =>
        ResourceTypes.HasPatientParameter(type) && !options.Paging.TypesWithoutPatientParameter.Contains(type, StringComparer.Ordinal);

    private bool HasPatientParameter(string type) => HasPatientParameter(type, options.Value);

    public FhirError? Everything(string baseUrl, string patientId, QueryParameters query, out SearchPage? page)
    {
        page = null;
        var sinceMs = long.MinValue;
        HashSet<string>? types = null;
        var error = query.Parse(options.Value.DefaultPageSize, options.Value.MaxPageSize, out var count, (name, value) =>
        {
            switch (name)
            {
                case "_since":
                    return (true, SinceParameter.Parse(value, out sinceMs));
                case "_type":
                    types = [.. Split(value)];
                    return (true, null);
                default:
                    return (false, null);
            }
        });
        if (error is not null)
        {
            return error;
        }
        var parts = new List<SearchPlan>();
        if (types is null || types.Contains("Patient"))
        {
            var patient = new SearchPlan("Patient", store.Data.Patient);
            patient.RestrictIds([patientId]);
            parts.Add(patient);
        }
        foreach (var type in CompartmentTypes)
        {
            if (types is null || types.Contains(type))
            {
                var plan = new SearchPlan(type, store.Data.Find(type));
                plan.RestrictPatients([patientId], store.Data.Patient);
                parts.Add(plan);
            }
        }
        foreach (var plan in parts)
        {
            plan.RestrictLastUpdated(sinceMs, long.MaxValue);
        }
        return Collect(baseUrl, $"Patient/{patientId}/$everything", $"everything/{patientId}", query, parts, count, total: false, out page);
    }

    public FhirError? History(string baseUrl, string type, QueryParameters query, out SearchPage? page)
    {
        page = null;
        var sinceMs = long.MinValue;
        var error = query.Parse(options.Value.DefaultPageSize, options.Value.MaxPageSize, out var count, (name, value) =>
            name == "_since" ? (true, SinceParameter.Parse(value, out sinceMs)) : (false, null));
        if (error is not null)
        {
            return error;
        }
        var context = $"history/{type}";
        var start = PageCursor.Start;
        if (query.Cursor is not null && (!cursors.TryDecode(query.Cursor, context, out start) || start.Part != 0))
        {
            return FhirError.Invalid("The _cursor is not valid for this history.");
        }
        var items = new List<ResourceVersion>(Math.Min(count, 1024));
        var next = pages.CollectHistory(type, sinceMs, start.Position, count, items, out var total);
        var path = $"{type}/_history";
        var nextUrl = next is { } position ? query.Link(baseUrl, path, cursors.Encode(new PageCursor(0, 0, position), context)) : null;
        page = new SearchPage("history", total, query.Link(baseUrl, path, query.Cursor), nextUrl, [], items);
        return null;
    }

    private FhirError? Collect(string baseUrl, string path, string context, QueryParameters query, List<SearchPlan> parts, int count, bool total, out SearchPage? page)
    {
        page = null;
        var start = PageCursor.Start;
        if (query.Cursor is not null && (!cursors.TryDecode(query.Cursor, context, out start) || start.Part >= parts.Count))
        {
            return FhirError.Invalid("The _cursor is not valid for this search; start again from the first page.");
        }
        var items = new List<PageItem>(Math.Min(count, 1024));
        var next = pages.Collect(parts, start, count, items);
        long? totalValue = null;
        if (total || count == 0)
        {
            long sum = 0;
            foreach (var plan in parts)
            {
                sum += pages.Count(plan);
            }
            totalValue = sum;
        }
        var nextUrl = next is { } cursor ? query.Link(baseUrl, path, cursors.Encode(cursor, context)) : null;
        page = new SearchPage("searchset", totalValue, query.Link(baseUrl, path, query.Cursor), nextUrl, items, []);
        return null;
    }

    private static List<string> Split(string value)
    {
        var result = new List<string>();
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            result.Add(part);
        }
        return result;
    }
}
