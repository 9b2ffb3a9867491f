using System.Net.Http.Headers;
using AsyncFacade.SampleUpstream.Http;
using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream.Auth;

/// <summary>
/// With `SampleUpstream:Auth:Required`, every FHIR route needs a current token from <see cref="SampleTokenEndpoint"/>:
/// otherwise 401, `WWW-Authenticate: Bearer` (RFC 6750 §3, with error="invalid_token" when one was sent) and an
/// OperationOutcome with code `login`.
/// </summary>
internal sealed class BearerTokenFilter(IOptions<SampleUpstreamOptions> options, SampleTokenIssuer issuer) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!options.Value.Auth.Required)
        {
            return await next(context);
        }
        var http = context.HttpContext;
        string problem;
        if (!AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(header.Parameter))
        {
            problem = "This server requires a bearer token.";
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"sample-upstream\"";
        }
        else if (issuer.Check(header.Parameter) is { } invalid)
        {
            problem = invalid;
            http.Response.Headers.WWWAuthenticate = $"Bearer realm=\"sample-upstream\", error=\"invalid_token\", error_description=\"{invalid}\"";
        }
        else
        {
            return await next(context);
        }
        return new OperationOutcomeResult(new FhirError(StatusCodes.Status401Unauthorized, "login", problem));
    }
}
