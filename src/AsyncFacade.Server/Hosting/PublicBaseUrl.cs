using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Hosting;

/// <summary>The facade's FHIR base as clients see it: the configured public base, else the request's own origin.</summary>
internal sealed class PublicBaseUrl(IOptions<ServerOptions> options)
{
    public const string FhirPath = "/fhir";

    public string FhirBase(HttpRequest request)
    {
        var configured = options.Value.PublicBaseUrl;
        var origin = string.IsNullOrEmpty(configured)
            ? $"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}"
            : configured.TrimEnd('/');
        return origin + FhirPath;
    }
}
