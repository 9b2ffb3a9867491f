using System.Text.RegularExpressions;
using static AsyncFacade.Server.Export.ExportParameterNames;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Turns raw kick-off parameters, already reduced to text by the GET or POST reader, into an <see cref="ExportRequest"/>.
/// The first problem found is returned; clients fix one thing at a time anyway and the order is stable.
/// </summary>
internal static partial class ExportRequestValidator
{
    public const string NdjsonMediaType = "application/fhir+ndjson";

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ElementName();

    // FHIR R4 id: 1-64 of [A-Za-z0-9-.].
    [GeneratedRegex(@"^Patient/[A-Za-z0-9\-\.]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex PatientReference();

    public static ExportRequest? Validate(
        ExportLevel level, string? groupId, IReadOnlyList<ExportParameter> parameters, bool fromBody, bool lenient,
        out ExportRequestError? error)
    {
        if ((level == ExportLevel.Group) == string.IsNullOrEmpty(groupId))
        {
            throw new ArgumentException("A group id is required for Group-level export and not allowed otherwise.", nameof(groupId));
        }

        var byName = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            if (!IsKnown(parameter.Name))
            {
                // Prefer: handling=lenient asks us to ignore what we do not support (FHIR R4 http.html#prefer).
                if (lenient)
                {
                    continue;
                }

                error = new(parameter.Name, $"{parameter.Name}: unknown parameter for $export.");
                return null;
            }

            if (!byName.TryGetValue(parameter.Name, out var values))
            {
                byName[parameter.Name] = values = [];
            }
            else if (IsSingleValued(parameter.Name))
            {
                error = new(parameter.Name, $"{parameter.Name}: may appear at most once.");
                return null;
            }

            values.Add(parameter.Value);
        }

        string? Single(string name) => byName.TryGetValue(name, out var values) ? values[0] : null;
        IReadOnlyList<string> All(string name) => byName.TryGetValue(name, out var values) ? values : [];

        // Expression variables declared in these conditions stay in scope below; each check stops at its first error.
        if ((error = ReadOutputFormat(Single(OutputFormat), out var outputFormat)) is not null
            || (error = ReadInstant(Since, Single(Since), out var since)) is not null
            || (error = ReadInstant(Until, Single(Until), out var until)) is not null)
        {
            return null;
        }

        if (since is { } from && until is { } to && to < from)
        {
            error = new(Until, $"{Until}: must not be earlier than {Since}.");
            return null;
        }

        if ((error = ReadTypes(All(Types), out var types)) is not null
            || (error = ReadTypeFilters(All(TypeFilter), types, fromBody, out var typeFilters)) is not null
            || (error = ReadElements(All(Elements), out var elements)) is not null
            || (error = ReadPatients(level, All(Patient), fromBody, out var patients)) is not null
            || (error = ReadList(IncludeAssociatedData, All(IncludeAssociatedData), out var associated)) is not null
            || (error = ReadOrganizeOutputBy(Single(OrganizeOutputBy))) is not null
            || (error = ReadBoolean(AllowPartialManifests, Single(AllowPartialManifests), out var allowPartial)) is not null)
        {
            return null;
        }

        return new ExportRequest(level, groupId, outputFormat, since, until, types, typeFilters, elements, patients,
            associated, Single(OrganizeOutputBy), allowPartial) { Lenient = lenient };
    }

    private static ExportRequestError? ReadOutputFormat(string? value, out string format)
    {
        format = NdjsonMediaType;
        // The IG names these three as the ones a server must accept for NDJSON; we produce nothing else.
        if (value is null || value.Trim().ToLowerInvariant() is NdjsonMediaType or "application/ndjson" or "ndjson")
        {
            return null;
        }

        return new(OutputFormat, $"{OutputFormat}: '{value}' is not supported; use {NdjsonMediaType}.");
    }

    private static ExportRequestError? ReadInstant(string name, string? value, out DateTimeOffset? instant)
    {
        instant = null;
        if (value is null)
        {
            return null;
        }

        if (!FhirDateTimeParameter.TryParse(value.Trim(), out var parsed))
        {
            return new(name, $"{name}: '{value}' is not a FHIR instant or dateTime with a full date, "
                + "e.g. 2024-01-01 or 2024-01-01T10:00:00Z (a time needs a timezone).");
        }

        instant = parsed;
        return null;
    }

    private static ExportRequestError? ReadTypes(IReadOnlyList<string> values, out IReadOnlyList<string> types)
    {
        types = [];
        var error = ReadList(Types, values, out var names);
        if (error is not null)
        {
            return error;
        }

        foreach (var name in names)
        {
            if (!FhirResourceTypes.IsKnown(name))
            {
                return new(Types, $"{Types}: '{name}' is not a FHIR R4 resource type.");
            }
        }

        // Sorted so the plan, and the manifest order, do not depend on the order the client listed the types in.
        types = names.Order(StringComparer.Ordinal).ToArray();
        return null;
    }

    private static ExportRequestError? ReadTypeFilters(
        IReadOnlyList<string> values, IReadOnlyList<string> types, bool fromBody, out IReadOnlyList<ExportTypeFilter> filters)
    {
        filters = [];
        var result = new List<ExportTypeFilter>();
        var seen = new HashSet<ExportTypeFilter>();
        // A POST repeats the parameter per filter, so a comma there is always part of the query.
        var items = fromBody ? values : values.SelectMany(TypeFilterParameter.SplitQueryValue);
        foreach (var item in items)
        {
            var error = TypeFilterParameter.TryParse(item.Trim(), types, out var filter);
            if (error is not null)
            {
                return error;
            }

            if (seen.Add(filter!))
            {
                result.Add(filter!);
            }
        }

        filters = result;
        return null;
    }

    private static ExportRequestError? ReadElements(IReadOnlyList<string> values, out IReadOnlyList<string> elements)
    {
        var error = ReadList(Elements, values, out elements);
        if (error is not null)
        {
            return error;
        }

        foreach (var element in elements)
        {
            var parts = element.Split('.');
            var valid = parts.Length switch
            {
                1 => ElementName().IsMatch(parts[0]),
                2 => FhirResourceTypes.IsKnown(parts[0]) && ElementName().IsMatch(parts[1]),
                _ => false,
            };
            if (!valid)
            {
                return new(Elements, $"{Elements}: '{element}' must be an element name or Type.element, "
                    + "with a FHIR R4 resource type, e.g. Patient.name or name.");
            }
        }

        return null;
    }

    private static ExportRequestError? ReadPatients(
        ExportLevel level, IReadOnlyList<string> values, bool fromBody, out IReadOnlyList<string> patients)
    {
        patients = [];
        if (values.Count == 0)
        {
            return null;
        }

        // The IG defines `patient` for POST only: a list of references does not fit a query string.
        if (!fromBody)
        {
            return new(Patient, $"{Patient}: only supported in a POST kick-off with a Parameters body.");
        }

        if (level == ExportLevel.System)
        {
            return new(Patient, $"{Patient}: only allowed for Patient- and Group-level export.");
        }

        foreach (var value in values)
        {
            if (!PatientReference().IsMatch(value))
            {
                return new(Patient, $"{Patient}: '{value}' must be a relative reference of the form Patient/{{id}}.");
            }
        }

        patients = values.Distinct(StringComparer.Ordinal).ToArray();
        return null;
    }

    private static ExportRequestError? ReadOrganizeOutputBy(string? value) =>
        value is null || FhirResourceTypes.IsKnown(value)
            ? null
            : new(OrganizeOutputBy, $"{OrganizeOutputBy}: '{value}' is not a FHIR R4 resource type.");

    private static ExportRequestError? ReadBoolean(string name, string? value, out bool result)
    {
        result = value == "true";
        return value is null or "true" or "false" ? null : new(name, $"{name}: '{value}' must be true or false.");
    }

    /// <summary>Comma lists, possibly repeated; POST values go through here too for STU3 clients that send one list.</summary>
    private static ExportRequestError? ReadList(string name, IReadOnlyList<string> values, out IReadOnlyList<string> items)
    {
        items = [];
        var result = new List<string>();
        // A set beside the list: a hostile kick-off may list 10,000 items, and List.Contains made that quadratic.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in values.SelectMany(v => v.Split(',')).Select(i => i.Trim()))
        {
            if (item.Length == 0)
            {
                return new(name, $"{name}: contains an empty item.");
            }

            if (seen.Add(item))
            {
                result.Add(item);
            }
        }

        items = result;
        return null;
    }
}
