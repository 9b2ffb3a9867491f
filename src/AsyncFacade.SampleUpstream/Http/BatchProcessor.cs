using System.Text.Json.Nodes;
using AsyncFacade.SampleUpstream.Search;
using AsyncFacade.SampleUpstream.Store;
using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>
/// Runs batch and transaction Bundles. A transaction checks every entry first and applies all writes under one
/// store lock (DELETE, POST, PUT order, FHIR http §3.1.0.11.2), resolving urn:uuid references of POSTed
/// entries; one bad entry fails the whole Bundle with nothing applied. A batch applies its valid writes and
/// reports each entry on its own. Reads and searches run after the writes in both.
/// </summary>
internal sealed class BatchProcessor(ResourceStore store, BundleEntryParser parser, SearchService search, IOptions<SampleUpstreamOptions> options)
{
    public FhirError? Process(JsonObject bundle, string baseUrl, bool strict, out EntryOutcome[] outcomes, out string responseType)
    {
        outcomes = [];
        responseType = string.Empty;
        var type = (bundle["type"] as JsonValue)?.GetValue<string>();
        if (type is not ("batch" or "transaction"))
        {
            return FhirError.Invalid($"Only Bundles of type batch or transaction can be posted to the base, not '{type}'.");
        }
        responseType = type + "-response";
        var entries = bundle["entry"] as JsonArray ?? [];
        var requests = new BundleEntryRequest[entries.Count];
        for (var i = 0; i < requests.Length; i++)
        {
            requests[i] = parser.Parse(entries[i], baseUrl);
        }
        outcomes = new EntryOutcome[requests.Length];
        if (type == "transaction")
        {
            var max = options.Value.Writes.MaxTransactionUpdates;
            if (max > 0 && requests.Count(r => r.Method == "PUT") > max)
            {
                // Medplum's limit and words (packages/fhir-router/src/batch.ts, maxUpdates).
                return FhirError.Invalid("Transaction contains more update operations than allowed");
            }
            var error = PrepareTransaction(requests);
            if (error is not null)
            {
                return error;
            }
        }
        ApplyWrites(requests, outcomes, transaction: type == "transaction");
        for (var i = 0; i < requests.Length; i++)
        {
            outcomes[i] ??= requests[i].Error is { } error ? EntryOutcome.Failed(error) : Get(requests[i], baseUrl, strict);
        }
        return null;
    }

    private static FhirError? PrepareTransaction(BundleEntryRequest[] requests)
    {
        var targets = new HashSet<string>(StringComparer.Ordinal);
        var urns = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < requests.Length; i++)
        {
            var request = requests[i];
            if (request.Error is { } error)
            {
                return error with { Diagnostics = $"Transaction entry {i} failed, nothing was applied: {error.Diagnostics}" };
            }
            if (request.Write is { } write && !targets.Add($"{write.ResourceType}/{write.Id}"))
            {
                return FhirError.Invalid($"Transaction entry {i} writes {write.ResourceType}/{write.Id} again; nothing was applied.");
            }
            if (request is { Method: "POST", FullUrl: { } fullUrl } && fullUrl.StartsWith("urn:uuid:", StringComparison.Ordinal))
            {
                urns[fullUrl] = $"{request.Type}/{request.Id}";
            }
        }
        if (urns.Count > 0)
        {
            foreach (var request in requests)
            {
                if (request.Resource is { } resource)
                {
                    ResolveReferences(resource, urns);
                }
            }
        }
        return null;
    }

    private void ApplyWrites(BundleEntryRequest[] requests, EntryOutcome[] outcomes, bool transaction)
    {
        var order = new List<int>(requests.Length);
        foreach (var method in transaction ? ["DELETE", "POST", "PUT"] : new[] { "*" })
        {
            for (var i = 0; i < requests.Length; i++)
            {
                if (requests[i] is { Write: not null, Error: null } request && (method == "*" || request.Method == method))
                {
                    order.Add(i);
                }
            }
        }
        var writes = new PreparedWrite[order.Count];
        for (var i = 0; i < writes.Length; i++)
        {
            writes[i] = requests[order[i]].Write!;
        }
        var versions = store.Apply(writes, options.Value.Writes.KeepVersionOnUnchangedUpdate);
        for (var i = 0; i < versions.Length; i++)
        {
            var version = versions[i];
            var status = version switch
            {
                null or { IsDeleted: true } => "204 No Content",
                { IsCreation: true } => "201 Created",
                _ => "200 OK",
            };
            outcomes[order[i]] = new EntryOutcome(status) { Written = version };
        }
    }

    private EntryOutcome Get(BundleEntryRequest request, string baseUrl, bool strict)
    {
        if (request.Query is { } query)
        {
            var parameters = QueryParameters.From(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query), strict);
            var error = search.Search(baseUrl, request.Type, parameters, out var page);
            return error is not null ? EntryOutcome.Failed(error) : new EntryOutcome("200 OK") { Page = page };
        }
        var result = request.VersionId is { } vid
            ? int.TryParse(vid, out var versionId) ? store.ReadVersion(request.Type, request.Id!, versionId) : ReadResult.NotFound
            : store.Read(request.Type, request.Id!);
        return result.Status switch
        {
            ReadStatus.Found => new EntryOutcome("200 OK")
            {
                Resource = result.Stored is { } stored ? PageItem.Of(stored) : PageItem.Of(result.Generated!, result.Index),
                VersionId = result.VersionId,
                LastUpdatedMs = result.LastUpdatedMs,
            },
            ReadStatus.Gone => EntryOutcome.Failed(FhirError.Gone($"{request.Type}/{request.Id} was deleted.")),
            _ => EntryOutcome.Failed(FhirError.NotFound($"{request.Type}/{request.Id} is not known.")),
        };
    }

    private static void ResolveReferences(JsonNode node, Dictionary<string, string> urns)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["reference"] is JsonValue value && value.TryGetValue<string>(out var reference) && urns.TryGetValue(reference, out var resolved))
                {
                    obj["reference"] = resolved;
                }
                foreach (var (_, child) in obj)
                {
                    if (child is JsonObject or JsonArray)
                    {
                        ResolveReferences(child, urns);
                    }
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        ResolveReferences(child, urns);
                    }
                }
                break;
        }
    }
}
