using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace AsyncFacade.Server.Export;

/// <summary>Splits and checks `_typeFilter` values (`Type?query`).</summary>
internal static partial class TypeFilterParameter
{
    // These change paging or the shape of each resource, not which resources are selected, and the export
    // pages and shapes output itself (`_elements` has its own kick-off parameter).
    private static readonly string[] ForbiddenSearchParameters =
        ["_type", "_include", "_revinclude", "_sort", "_count", "_elements", "_summary"];

    // A comma starts a new filter only when what follows looks like `Type?`. A comma inside a filter's query
    // (`code=a,b`, an OR in FHIR search) never does, because a literal `?` can only appear once per filter.
    [GeneratedRegex(@",(?=[A-Z][A-Za-z]*\?)", RegexOptions.CultureInvariant)]
    private static partial Regex FilterBoundary();

    /// <summary>STU2/STU3 let a GET carry several filters in one comma-separated value.</summary>
    public static string[] SplitQueryValue(string value) => FilterBoundary().Split(value);

    public static ExportRequestError? TryParse(string text, IReadOnlyList<string> types, out ExportTypeFilter? filter)
    {
        filter = null;
        var separator = text.IndexOf('?', StringComparison.Ordinal);
        if (separator <= 0)
        {
            return Error($"'{text}' must have the form Type?query, e.g. Observation?status=final.");
        }

        var type = text[..separator];
        var query = text[(separator + 1)..];
        if (!FhirResourceTypes.IsKnown(type))
        {
            return Error($"'{type}' is not a FHIR R4 resource type.");
        }

        if (types.Count > 0 && !types.Contains(type, StringComparer.Ordinal))
        {
            return Error($"'{type}' is not listed in _type; a filter can only narrow a requested type.");
        }

        if (query.Length == 0)
        {
            return Error($"'{text}' has an empty query.");
        }

        foreach (var key in QueryHelpers.ParseQuery("?" + query).Keys)
        {
            // `_include:iterate` and friends: the modifier does not make them selection criteria.
            var name = key.Split(':', 2)[0];
            if (ForbiddenSearchParameters.Contains(name, StringComparer.Ordinal))
            {
                return Error($"'{text}' uses {name}, which is not allowed in a filter; a filter can only select resources.");
            }
        }

        filter = new ExportTypeFilter(type, query);
        return null;
    }

    private static ExportRequestError Error(string detail) =>
        new(ExportParameterNames.TypeFilter, $"{ExportParameterNames.TypeFilter}: {detail}");
}
