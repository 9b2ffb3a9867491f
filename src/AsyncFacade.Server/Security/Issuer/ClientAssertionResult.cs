namespace AsyncFacade.Server.Security.Issuer;

/// <summary>The authenticated client, or the error to answer; a client may come with an error (known, but refused).</summary>
internal sealed record ClientAssertionResult(AuthIssuerRegistration? Client, TokenEndpointError? Error)
{
    public bool CacheFull { get; init; }
}
