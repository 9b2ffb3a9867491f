using AsyncFacade.Server.Export;

namespace AsyncFacade.Server.Security.Scopes;

/// <summary>
/// The search parameters that limit a search on a type to one <see cref="AccessRestriction"/>: `patient=Patient/{p}`
/// (`_id={p}` on Patient itself) for the compartment, then the scope's filter. They are added to the client's own, and
/// FHIR ANDs repeated parameters (R4 search.html#combining), so a client's `patient=Patient/other` then matches nothing.
/// <para>
/// A lenient upstream ignores a parameter it does not know (R4 search.html#errors) and would answer with every patient's
/// resources, so each parameter must be one its CapabilityStatement lists for the type; the request is also sent with
/// `Prefer: handling=strict`, which asks it to refuse unknown parameters instead. The facade's notion of a patient's
/// compartment is therefore "the resources whose `patient` search parameter refers to the patient": a type without one
/// (Practitioner, Organization, Medication…) is outside every compartment.
/// </para>
/// </summary>
internal static class RestrictionParameters
{
    /// <returns>The parameters (values unescaped), or null with <paramref name="problem"/> saying why the restriction cannot be enforced on the type.</returns>
    public static List<KeyValuePair<string, string>>? Of(string type, AccessRestriction restriction, UpstreamCapabilities capabilities, out string? problem)
    {
        problem = null;
        var advertised = capabilities.SearchParameters.GetValueOrDefault(type);
        var parameters = new List<KeyValuePair<string, string>>();
        if (restriction.PatientId is { } patient)
        {
            if (type == "Patient")
            {
                parameters.Add(new("_id", patient)); // `_id` is a parameter every server has (R4 search.html#all)
            }
            else if (advertised?.Contains("patient") == true)
            {
                parameters.Add(new("patient", "Patient/" + patient));
            }
            else
            {
                problem = $"{type} is outside the patient compartment this server can enforce: the upstream's CapabilityStatement lists no `patient` " +
                          $"search parameter for {type}, so a request on it cannot be limited to Patient/{patient}.";
                return null;
            }
        }
        foreach (var (name, value) in Filter(restriction.Query))
        {
            var baseName = name.Split(':')[0];
            if (advertised?.Contains(baseName) != true)
            {
                problem = $"The scope filter `{restriction.Query}` cannot be enforced on {type}: the upstream's CapabilityStatement lists no `{baseName}` search parameter for it.";
                return null;
            }
            parameters.Add(new(name, value));
        }
        return parameters;
    }

    /// <summary>A scope's filter (`category=laboratory&amp;status=final`) as unescaped pairs; SmartScope has checked its shape.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Filter(string? query) =>
        (query ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var equals = pair.IndexOf('=');
            return new KeyValuePair<string, string>(Uri.UnescapeDataString(pair[..equals]), Uri.UnescapeDataString(pair[(equals + 1)..]));
        });
}
