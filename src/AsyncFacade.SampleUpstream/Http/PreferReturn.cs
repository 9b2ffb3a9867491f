namespace AsyncFacade.SampleUpstream.Http;

/// <summary>The <c>return=</c> token of the Prefer header (FHIR http §3.1.0.5.2); representation unless asked otherwise.</summary>
internal enum PreferReturn
{
    Representation,
    Minimal,
    OperationOutcome,
}
