using AsyncFacade.SampleUpstream.Search;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>`_since` of history and `$everything`: an instant, read as the lower bound `_lastUpdated=ge…` is.</summary>
internal static class SinceParameter
{
    /// <returns>Null when <paramref name="value"/> is a FHIR instant (then <paramref name="sinceMs"/> holds it), else the 400.</returns>
    public static FhirError? Parse(string value, out long sinceMs) =>
        LastUpdatedFilter.TryParse("ge" + value, out sinceMs, out _, out var message, out _)
            ? null
            : FhirError.Invalid(message!.Replace("_lastUpdated", "_since", StringComparison.Ordinal));
}
