using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Import;

/// <summary>
/// The OperationDefinition of `$import` as this server implements it, served at `[base]/OperationDefinition/import`.
/// Parameter names follow the HL7 bulk import draft and the Microsoft FHIR server, so their clients work unchanged.
/// </summary>
internal static class ImportOperationDefinition
{
    public const string Path = "/OperationDefinition/import";

    public static string UrlFor(string facadeBase) => facadeBase + Path;

    public static OperationDefinition Create(string facadeBase) => new()
    {
        Id = "import",
        Url = UrlFor(facadeBase),
        Name = "Import",
        Title = "Bulk Data import (AsyncFacade)",
        Status = PublicationStatus.Active,
        Kind = OperationDefinition.OperationKind.Operation,
        Code = "import",
        System = true,
        Type = false,
        Instance = false,
        AffectsState = true,
        Description = new Markdown(Description),
        Parameter =
        [
            In("inputFormat", 0, "1", FHIRAllTypes.Code, "application/fhir+ndjson (default; also application/ndjson, ndjson). Other formats are refused."),
            In("inputSource", 0, "1", FHIRAllTypes.Uri, "The server the files come from (informational)."),
            Part("storageDetail", 0, "1", "How the files are reached: only URLs are supported.",
                In("type", 1, "1", FHIRAllTypes.Code, "https (pre-signed URLs work), http or file.")),
            In("mode", 0, "1", FHIRAllTypes.Code,
                "IncrementalLoad (default): every line needs an id and is written with PUT {type}/{id}. InitialLoad: lines with an id are written the " +
                "same way, lines without one are created with POST {type}."),
            Part("input", 1, "*", "One NDJSON file (gzip accepted): every line must be a resource of the declared type.",
                In("type", 1, "1", FHIRAllTypes.Code, "The resource type of every line."),
                In("url", 1, "1", FHIRAllTypes.Uri, "http(s) URL on a host in Import:AllowedHosts, this server's own export file URL, file:// under Import:FileDirectory, or an object on this server's storage provider (az://{container}/{blob}, s3://{bucket}/{key} or the service's own URL) in a container/bucket listed in Storage:Azure:ImportContainers / Storage:S3:ImportBuckets, read with the server's credentials.")),
        ],
    };

    private const string Description =
        "Imports NDJSON files into the upstream FHIR server, asynchronously (`Prefer: respond-async` is required; 202 + Content-Location). " +
        "The body is either this Parameters resource, or a Bulk Data export manifest (`application/json`, `{\"output\":[{\"type\",\"url\"}]}`), " +
        "so the manifest of an `$export` can be fed straight in. Lines are checked (JSON, resourceType, id, FHIR R4 structure) and written in " +
        "batch Bundles; a line that fails goes to an NDJSON error report (one OperationOutcome per line, naming input and line number). " +
        "The finished status answers a manifest: transactionTime, request, output[{type, count, inputUrl}], error[{type, url, count, inputUrl}].";

    private static OperationDefinition.ParameterComponent In(string name, int min, string max, FHIRAllTypes type, string documentation) => new()
    {
        Name = name,
        Use = OperationParameterUse.In,
        Min = min,
        Max = max,
        Type = type,
        Documentation = documentation,
    };

    private static OperationDefinition.ParameterComponent Part(string name, int min, string max, string documentation,
        params OperationDefinition.ParameterComponent[] parts) => new()
    {
        Name = name,
        Use = OperationParameterUse.In,
        Min = min,
        Max = max,
        Documentation = documentation,
        Part = [.. parts],
    };
}
