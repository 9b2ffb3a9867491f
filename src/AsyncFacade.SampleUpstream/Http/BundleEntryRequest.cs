using System.Text.Json.Nodes;
using AsyncFacade.SampleUpstream.Store;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>One parsed batch/transaction entry: a write ready to apply, or a read/search to run, or an error.</summary>
internal sealed record BundleEntryRequest(string Method, string Type)
{
    public string? Id { get; init; }

    public string? VersionId { get; init; }

    public string? Query { get; init; }

    public string? FullUrl { get; init; }

    public PreparedWrite? Write { get; init; }

    public FhirError? Error { get; init; }

    public JsonObject? Resource => Write?.Resource;

    public static BundleEntryRequest Failed(FhirError error) => new(string.Empty, string.Empty) { Error = error };
}
