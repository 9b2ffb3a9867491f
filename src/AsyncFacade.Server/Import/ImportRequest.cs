namespace AsyncFacade.Server.Import;

/// <summary>
/// A validated kick-off body, from either form: a `Parameters` resource (HL7 bulk import draft / Microsoft FHIR server)
/// or a Bulk Data export manifest. <see cref="Form"/> names where each input came from, for error messages.
/// </summary>
internal sealed record ImportRequest(ImportMode Mode, string? InputSource, IReadOnlyList<ImportInput> Inputs, bool RequiresAccessToken, int DeletedFiles)
{
    /// <summary>`input` (Parameters) or `output` (manifest): how the client named the list, so errors point into its body.</summary>
    public required string Form { get; init; }

    public string Describe(int index) => $"{Form}[{index}]";
}

/// <summary>One NDJSON file to import: its declared resource type and absolute URL.</summary>
internal sealed record ImportInput(string Type, string Url);

/// <summary>What is wrong with a kick-off body, naming the parameter; <see cref="NotSupported"/> for valid values this server does not do.</summary>
internal sealed record ImportRequestError(string Parameter, string Message, bool NotSupported = false);
