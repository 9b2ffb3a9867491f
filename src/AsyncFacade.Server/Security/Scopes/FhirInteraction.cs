using AsyncFacade.Server.Export;

namespace AsyncFacade.Server.Security.Scopes;

/// <summary>
/// What a `/fhir` request does, and the SMART v2 permissions it needs on which type (`*` for any type): read and vread
/// need `r`, search `s`, create `c`, update and patch `u`, delete `d`; a conditional write needs `s` as well, because it
/// searches first. Type history needs `s` (it lists the type, as a search does, and cannot be narrowed by parameters).
/// Anything else (batch, transaction, system-level search or history, operations other than `$everything`) needs the
/// permissions it could use on the whole type: `rs` when it reads (GET), `cruds` when it may write.
/// </summary>
/// <param name="Id">The instance id; for <see cref="InteractionKind.CompartmentSearch"/> and <see cref="InteractionKind.Everything"/>, the Patient's.</param>
/// <param name="What">The interaction in words, for refusals (`a batch or transaction`).</param>
internal sealed record FhirInteraction(InteractionKind Kind, string Type, string? Id, ScopePermissions Needed, string What)
{
    private const ScopePermissions Rs = ScopePermissions.ReadAndSearch;

    /// <summary>The interaction; null for the facade's own endpoints (bulk kick-offs, job status, files), which check their requests themselves.</summary>
    public static FhirInteraction? Of(HttpRequest request)
    {
        var segments = (request.Path.Value ?? "")[Hosting.PublicBaseUrl.FhirPath.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var reads = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        var anyUse = reads ? Rs : ScopePermissions.All;
        if (segments is [] or ["_search"])
        {
            return reads || segments is ["_search"]
                ? Whole("*", ScopePermissions.Search, "a system-level search")
                : Whole("*", ScopePermissions.All, "a batch or transaction");
        }
        var first = segments[0];
        if (first is "_async" or "$export" or "$import" or "$export-poll-status" || segments is [_, "$export"] or [_, _, "$export"])
        {
            return null;
        }
        if (segments is ["_history"])
        {
            return Whole("*", ScopePermissions.Search, "system-level history");
        }
        if (!FhirResourceTypes.IsKnown(first))
        {
            return Whole("*", anyUse, first.StartsWith('$') ? $"the system-level operation {first}" : $"a request on {first}");
        }
        return segments switch
        {
            [_] when reads => new(InteractionKind.Search, first, null, ScopePermissions.Search, $"a search on {first}"),
            [_] when HttpMethods.IsPost(request.Method) => new(InteractionKind.Create, first, null,
                request.Headers.ContainsKey("If-None-Exist") ? ScopePermissions.Create | ScopePermissions.Search : ScopePermissions.Create, $"a create of {first}"),
            [_] when HttpMethods.IsPut(request.Method) => Conditional(InteractionKind.ConditionalUpdate, first, ScopePermissions.Update, "update"),
            [_] when HttpMethods.IsPatch(request.Method) => Conditional(InteractionKind.ConditionalPatch, first, ScopePermissions.Update, "patch"),
            [_] when HttpMethods.IsDelete(request.Method) => Conditional(InteractionKind.ConditionalDelete, first, ScopePermissions.Delete, "delete"),
            [_, "_search"] when reads || HttpMethods.IsPost(request.Method) => new(InteractionKind.Search, first, null, ScopePermissions.Search, $"a search on {first}"),
            [_, "_history"] when reads => Whole(first, ScopePermissions.Search, $"the history of {first}"),
            [_, var op] when op.StartsWith('$') => Whole(first, anyUse, $"the operation {first}/{op}"),
            [_, var id] when reads => new(InteractionKind.Read, first, id, ScopePermissions.Read, $"a read of {first}/{id}"),
            [_, var id] when HttpMethods.IsPut(request.Method) => new(InteractionKind.Update, first, id, ScopePermissions.Update, $"an update of {first}/{id}"),
            [_, var id] when HttpMethods.IsPatch(request.Method) => new(InteractionKind.Patch, first, id, ScopePermissions.Update, $"a patch of {first}/{id}"),
            [_, var id] when HttpMethods.IsDelete(request.Method) => new(InteractionKind.Delete, first, id, ScopePermissions.Delete, $"a delete of {first}/{id}"),
            [_, var id, "_history"] when reads => new(InteractionKind.Read, first, id, ScopePermissions.Read, $"the history of {first}/{id}"),
            [_, var id, "_history", var version] when reads => new(InteractionKind.Read, first, id, ScopePermissions.Read, $"a read of {first}/{id}/_history/{version}"),
            ["Patient", var id, "$everything"] when reads || HttpMethods.IsPost(request.Method) =>
                new(InteractionKind.Everything, "*", id, Rs, $"Patient/{id}/$everything"),
            [_, var id, var op] when op.StartsWith('$') => Whole(first, anyUse, $"the operation {first}/{id}/{op}"),
            ["Patient", var id, var type] when reads && FhirResourceTypes.IsKnown(type) =>
                new(InteractionKind.CompartmentSearch, type, id, ScopePermissions.Search, $"a search of Patient/{id}'s {type}"),
            [_, _, var type] when reads && (FhirResourceTypes.IsKnown(type) || type == "*") => Whole(type, ScopePermissions.Search, $"a compartment search of {string.Join('/', segments)}"),
            _ => Whole(first, anyUse, $"{request.Method} {string.Join('/', segments)}"),
        };
    }

    private static FhirInteraction Whole(string type, ScopePermissions needed, string what) => new(InteractionKind.Unrestricted, type, null, needed, what);

    private static FhirInteraction Conditional(InteractionKind kind, string type, ScopePermissions write, string verb) =>
        new(kind, type, null, write | ScopePermissions.Search, $"a conditional {verb} of {type}");
}
