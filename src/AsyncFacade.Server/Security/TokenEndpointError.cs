namespace AsyncFacade.Server.Security;

/// <summary>An RFC 6749 §5.2 error response. The description is written for the client developer and never echoes the assertion.</summary>
internal sealed record TokenEndpointError(string Error, string Description)
{
    public static TokenEndpointError InvalidRequest(string description) => new("invalid_request", description);

    /// <summary>RFC 7523 §3.2 and SMART Backend Services: any failure to authenticate the client assertion.</summary>
    public static TokenEndpointError InvalidClient(string description) => new("invalid_client", description);

    public static TokenEndpointError UnsupportedGrantType(string description) => new("unsupported_grant_type", description);

    public static TokenEndpointError InvalidScope(string description) => new("invalid_scope", description);

    // RFC 6749 §5.2: invalid_client may be 401; every other error is 400.
    public int StatusCode => Error == "invalid_client" ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest;

    public IResult ToResult() => Results.Json(new TokenEndpointErrorBody(Error, Description), statusCode: StatusCode);
}
