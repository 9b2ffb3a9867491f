using System.Net;
using System.Text.Json;
using AsyncFacade.Server.Upstream;
using Microsoft.AspNetCore.WebUtilities;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Whether the upstream really applies each `_typeFilter` query. The CapabilityStatement is asked first, but statements
/// lie both ways, so each filter is also tried once (`_count=1`, with the export's `Prefer: handling`): a strict upstream
/// refuses what it cannot apply, and a lenient one leaves unapplied parameters out of the search's `self` link
/// (FHIR R4 search.html#errors: "the server SHALL return the parameters that were actually used to process the search").
/// Under strict handling (the Bulk Data default) a problem refuses the kick-off; under lenient it is reported in the
/// manifest's error file, because the export then holds resources the filter would have left out.
/// </summary>
internal sealed class TypeFilterCheck(UpstreamClient upstream)
{
    public async Task<IReadOnlyList<TypeFilterProblem>> FindProblemsAsync(IReadOnlyList<ExportTypeFilter> filters, UpstreamCapabilities capabilities, bool lenient,
        CancellationToken cancellationToken)
    {
        var problems = new List<TypeFilterProblem>();
        foreach (var filter in filters)
        {
            var names = ParameterNames(filter.Query);
            var (probed, refusal, unapplied) = await ProbeAsync(filter, names, lenient, cancellationToken);
            if (refusal is not null)
            {
                problems.Add(new TypeFilterProblem(filter, null, refusal));
            }
            else if (probed)
            {
                problems.AddRange(unapplied.Select(name => new TypeFilterProblem(filter, name, "it is missing from the upstream's self link, so the upstream ignored it")));
            }
            else if (capabilities.SearchParameters.TryGetValue(filter.Type, out var advertised))
            {
                // The upstream could not tell us (no self link, or it is unavailable now): its statement decides.
                problems.AddRange(names.Where(name => !advertised.Contains(name))
                    .Select(name => new TypeFilterProblem(filter, name, $"the upstream's CapabilityStatement does not list it for {filter.Type}")));
            }
        }
        return problems;
    }

    /// <summary>Search parameter names of a query, without modifiers or chains (`code:text`, `subject:Patient.name` → `code`, `subject`).</summary>
    public static IReadOnlyList<string> ParameterNames(string query) =>
        [.. QueryHelpers.ParseQuery("?" + query).Keys.Select(key => key.Split(':', 2)[0].Split('.', 2)[0]).Distinct(StringComparer.Ordinal)];

    /// <returns>
    /// Probed: the upstream answered a searchset with a self link carrying a query; Refusal: its reason for a 4xx;
    /// Unapplied: the names missing from the self link. Neither when it cannot tell (5xx, unreachable, no self link).
    /// </returns>
    private async Task<(bool Probed, string? Refusal, IReadOnlyList<string> Unapplied)> ProbeAsync(ExportTypeFilter filter, IReadOnlyList<string> names, bool lenient,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{filter.Type}?{filter.Query}&_count=1", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Prefer", lenient ? "handling=lenient" : "handling=strict");
        HttpResponseMessage response;
        try
        {
            response = await upstream.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (UpstreamClient.IsUnreachable(ex, cancellationToken))
        {
            return (false, null, []);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is >= 400 and < 500 && response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout))
            {
                return (false, "the upstream refused the search with " + await Paging.UpstreamRefusal.DescribeAsync(response, cancellationToken), []);
            }
            if (!response.IsSuccessStatusCode)
            {
                return (false, null, []);
            }
            try
            {
                await using var body = await upstream.ReadBodyAsync(response, cancellationToken);
                using var page = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
                if (SelfQuery(page.RootElement) is not { } self)
                {
                    return (false, null, []);
                }
                var applied = ParameterNames(self);
                return (true, null, [.. names.Where(name => !applied.Contains(name, StringComparer.Ordinal))]);
            }
            catch (Exception ex) when (ex is JsonException or UpstreamBodyException)
            {
                return (false, null, []);
            }
        }
    }

    /// <summary>The query part of the Bundle's `self` link; null when there is none (or it has no query to compare).</summary>
    private static string? SelfQuery(JsonElement bundle) =>
        Fhir.BundleLinks.Url(bundle, "self") is { } self && self.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? self[(q + 1)..] : null;
}
