using System.Text.Json.Nodes;
using AsyncFacade.SampleUpstream.Store;
using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>Checks one batch/transaction entry (method, url, resource) and prepares it without touching the store.</summary>
internal sealed class BundleEntryParser(ResourceValidator validator, IOptions<SampleUpstreamOptions> options)
{
    public BundleEntryRequest Parse(JsonNode? node, string baseUrl)
    {
        if (node is not JsonObject entry || entry["request"] is not JsonObject request
            || !TryString(request["method"], out var method) || !TryString(request["url"], out var url))
        {
            return BundleEntryRequest.Failed(FhirError.Invalid("Every entry needs request.method and request.url."));
        }
        if (url.StartsWith(baseUrl + "/", StringComparison.Ordinal))
        {
            url = url[(baseUrl.Length + 1)..];
        }
        else if (url.Contains("://", StringComparison.Ordinal))
        {
            return BundleEntryRequest.Failed(FhirError.NotSupported($"request.url '{url}' is not on this server."));
        }
        var queryAt = url.IndexOf('?', StringComparison.Ordinal);
        var query = queryAt >= 0 ? url[(queryAt + 1)..] : null;
        var segments = (queryAt >= 0 ? url[..queryAt] : url).Trim('/').Split('/');
        var type = segments[0];
        if (!ResourceTypes.IsKnown(type))
        {
            return BundleEntryRequest.Failed(FhirError.UnknownType(type));
        }
        TryString(entry["fullUrl"], out var fullUrl);
        var resource = entry["resource"] as JsonObject;
        return (method, segments.Length, query) switch
        {
            ("GET", 1, _) => new BundleEntryRequest(method, type) { Query = query ?? string.Empty },
            ("GET", 2, null) => Instance(method, type, segments[1], null),
            ("GET", 4, null) when segments[2] == "_history" => Instance(method, type, segments[1], null) with { VersionId = segments[3] },
            ("POST", 1, null) => Prepare(method, type, Guid.NewGuid().ToString(), resource, fullUrl),
            ("PUT", 2, null) => Prepare(method, type, segments[1], resource, fullUrl),
            ("DELETE", 2, null) => Instance(method, type, segments[1], new PreparedWrite(method, type, segments[1], null)),
            _ => BundleEntryRequest.Failed(FhirError.NotSupported($"{method} {url} is not supported in a batch or transaction (conditional and operation requests are not).")),
        };
    }

    private static BundleEntryRequest Instance(string method, string type, string id, PreparedWrite? write) =>
        ResourceTypes.IsValidId(id)
            ? new BundleEntryRequest(method, type) { Id = id, Write = write }
            : BundleEntryRequest.Failed(FhirError.Invalid($"'{id}' is not a valid FHIR id."));

    private BundleEntryRequest Prepare(string method, string type, string id, JsonObject? resource, string? fullUrl)
    {
        if (resource is null)
        {
            return BundleEntryRequest.Failed(FhirError.Invalid($"{method} {type} needs a resource."));
        }
        if (!ResourceTypes.IsValidId(id))
        {
            return BundleEntryRequest.Failed(FhirError.Invalid($"'{id}' is not a valid FHIR id."));
        }
        if (method == "PUT" && InstanceEndpoints.RefusedId(options.Value.Writes, id) is { } refused)
        {
            return BundleEntryRequest.Failed(refused);
        }
        // The entry's resource node belongs to the request Bundle; detach it so the store can own it.
        resource.Parent?.AsObject().Remove("resource");
        var error = validator.Check(resource, type, null, out _);
        if (error is null && method == "PUT" && resource["id"] is JsonValue bodyId && bodyId.GetValue<string>() != id)
        {
            error = FhirError.Invalid($"The resource id '{bodyId.GetValue<string>()}' does not match the url id '{id}'.");
        }
        return error is not null
            ? BundleEntryRequest.Failed(error)
            : new BundleEntryRequest(method, type) { Id = id, FullUrl = fullUrl, Write = new PreparedWrite(method, type, id, resource) };
    }

    private static bool TryString(JsonNode? node, out string value)
    {
        value = string.Empty;
        return node is JsonValue json && json.TryGetValue(out value!) && value.Length > 0;
    }
}
