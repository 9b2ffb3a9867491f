using AsyncFacade.SampleUpstream.Search;
using AsyncFacade.SampleUpstream.Store;
using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>read, vread, create, update and delete of single resources.</summary>
internal static class InstanceEndpoints
{
    public static IResult Read(string type, string id, ResourceStore store)
    {
        var error = CheckTypeAndId(type, id);
        return error is not null ? new OperationOutcomeResult(error) : Answer(store.Read(type, id), type, id);
    }

    public static IResult VRead(string type, string id, string vid, ResourceStore store)
    {
        var error = CheckTypeAndId(type, id);
        if (error is not null)
        {
            return new OperationOutcomeResult(error);
        }
        return int.TryParse(vid, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var versionId)
            ? Answer(store.ReadVersion(type, id, versionId), type, $"{id}/_history/{vid}")
            : new OperationOutcomeResult(FhirError.NotFound($"{type}/{id} has no version '{vid}'."));
    }

    public static async Task<IResult> CreateAsync(string type, HttpRequest request, ResourceStore store, ResourceValidator validator, IOptions<SampleUpstreamOptions> options, CancellationToken cancellationToken)
    {
        if (!ResourceTypes.IsKnown(type))
        {
            return new OperationOutcomeResult(FhirError.UnknownType(type));
        }
        var (body, raw, error) = await RequestBody.ReadObjectAsync(request, keepRaw: true, cancellationToken);
        error ??= validator.Check(body!, type, raw, out _);
        if (error is not null)
        {
            return new OperationOutcomeResult(error);
        }
        var write = new PreparedWrite("POST", type, Guid.NewGuid().ToString(), body);
        var version = store.Apply([write])[0]!;
        return Written(request, options.Value, version, StatusCodes.Status201Created);
    }

    public static async Task<IResult> UpdateAsync(string type, string id, HttpRequest request, ResourceStore store, ResourceValidator validator, IOptions<SampleUpstreamOptions> options, CancellationToken cancellationToken)
    {
        var error = CheckTypeAndId(type, id);
        if (error is not null)
        {
            return new OperationOutcomeResult(error);
        }
        var (body, raw, readError) = await RequestBody.ReadObjectAsync(request, keepRaw: true, cancellationToken);
        error = readError ?? RefusedId(options.Value.Writes, id) ?? validator.Check(body!, type, raw, out _);
        if (error is null && body!["id"] is { } bodyId && bodyId.GetValue<string>() != id)
        {
            error = FhirError.Invalid($"The body id '{bodyId.GetValue<string>()}' does not match the URL id '{id}'.");
        }
        if (error is not null)
        {
            return new OperationOutcomeResult(error);
        }
        var version = store.Apply([new PreparedWrite("PUT", type, id, body)], options.Value.Writes.KeepVersionOnUnchangedUpdate)[0]!;
        return Written(request, options.Value, version, version.IsCreation ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    public static IResult Delete(string type, string id, ResourceStore store)
    {
        var error = CheckTypeAndId(type, id);
        if (error is not null)
        {
            return new OperationOutcomeResult(error);
        }
        store.Apply([new PreparedWrite("DELETE", type, id, null)]);
        return Results.NoContent();
    }

    /// <summary>The refusal of an update to an id the profile does not accept (<see cref="Profiles.WriteQuirks.UuidIdsOnly"/>), or null.</summary>
    public static FhirError? RefusedId(Profiles.WriteQuirks quirks, string id) =>
        // Medplum's words and code: badRequest('Invalid id') is a 400 with issue code "invalid".
        quirks.UuidIdsOnly && !Guid.TryParseExact(id, "D", out _) ? FhirError.Invalid("Invalid id") : null;

    public static FhirError? CheckTypeAndId(string type, string id)
    {
        if (!ResourceTypes.IsKnown(type))
        {
            return FhirError.UnknownType(type);
        }
        return ResourceTypes.IsValidId(id) ? null : FhirError.Invalid($"'{id}' is not a valid FHIR id.");
    }

    private static IResult Answer(ReadResult result, string type, string what) => result.Status switch
    {
        ReadStatus.Found => new ResourceResult(
            StatusCodes.Status200OK,
            result.Stored is { } stored ? PageItem.Of(stored) : PageItem.Of(result.Generated!, result.Index),
            result.VersionId,
            result.LastUpdatedMs),
        ReadStatus.Gone => new OperationOutcomeResult(FhirError.Gone($"{type}/{what} was deleted.")),
        _ => new OperationOutcomeResult(FhirError.NotFound($"{type}/{what} is not known.")),
    };

    private static IResult Written(HttpRequest request, SampleUpstreamOptions options, ResourceVersion version, int statusCode)
    {
        var location = $"{FhirRequestBase.Of(request, options.BasePath)}/{version.ResourceType}/{version.Id}/_history/{version.VersionId}";
        var prefer = PreferHeader.ReturnOf(request);
        if (prefer == PreferReturn.OperationOutcome)
        {
            request.HttpContext.Response.Headers.ETag = ETag.Of(version.VersionId);
            request.HttpContext.Response.Headers.Location = location;
            return new OperationOutcomeResult(new FhirError(statusCode, "informational", $"{version.ResourceType}/{version.Id} version {version.VersionId} stored.") { Severity = "information" });
        }
        return new ResourceResult(statusCode, PageItem.Of(version), version.VersionId, version.LastUpdatedMs, location, withBody: prefer == PreferReturn.Representation);
    }
}
