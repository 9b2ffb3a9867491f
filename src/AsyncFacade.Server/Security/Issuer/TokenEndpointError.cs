namespace AsyncFacade.Server.Security.Issuer;

/// <summary>An RFC 6749 §5.2 error response. The description is written for the client developer and never echoes the assertion.</summary>
internal sealed record TokenEndpointError(string Error, string Description)
{
    public static TokenEndpointError InvalidRequest(string description) => new("invalid_request", description);

    /// <summary>RFC 7523 §3.2 and SMART Backend Services: any failure to authenticate the client assertion.</summary>
    public static TokenEndpointError InvalidClient(string description) => new("invalid_client", description);

    public static TokenEndpointError UnsupportedGrantType(string description) => new("unsupported_grant_type", description);

    public static TokenEndpointError InvalidScope(string description) => new("invalid_scope", description);

    /// <summary>
    /// Over a rate limit (429). RFC 6749 has no code for it; `slow_down` is the one the IANA OAuth error registry lists
    /// for token responses that means "ask less often" (RFC 8628 §3.5). `invalid_request` would tell the client its
    /// request is wrong, and `temporarily_unavailable` is registered for the authorization endpoint and blames the server.
    /// </summary>
    public static TokenEndpointError SlowDown(string description) => new("slow_down", description);

    // RFC 6749 §5.2: invalid_client may be 401; every other error is 400, but for the rate limit's 429 (RFC 6585 §4).
    public int StatusCode => Error switch
    {
        "invalid_client" => StatusCodes.Status401Unauthorized,
        "slow_down" => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status400BadRequest,
    };

    public IResult ToResult() => Results.Json(new TokenEndpointErrorBody(Error, Description), statusCode: StatusCode);
}
