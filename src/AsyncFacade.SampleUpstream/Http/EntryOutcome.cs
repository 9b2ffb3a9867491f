using AsyncFacade.SampleUpstream.Search;
using AsyncFacade.SampleUpstream.Store;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>The result of one batch/transaction entry, written as its <c>response</c> (and resource).</summary>
internal sealed record EntryOutcome(string Status)
{
    public FhirError? Error { get; init; }

    public ResourceVersion? Written { get; init; }

    public PageItem? Resource { get; init; }

    public int VersionId { get; init; }

    public long LastUpdatedMs { get; init; }

    public SearchPage? Page { get; init; }

    public static EntryOutcome Failed(FhirError error) => new(error.StatusLine) { Error = error };
}
