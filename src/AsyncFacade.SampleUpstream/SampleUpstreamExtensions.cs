using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream;

public static class SampleUpstreamExtensions
{
    public static IServiceCollection AddSampleUpstream(this IServiceCollection services)
    {
        services.AddOptions<SampleUpstreamOptions>()
            .BindConfiguration(SampleUpstreamOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    // STUB: replaced by the real store (read/search/paging/history/transaction/metadata).
    public static RouteGroupBuilder MapSampleUpstream(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<SampleUpstreamOptions>>().Value;
        var group = app.MapGroup(options.BasePath).ExcludeFromDescription();
        group.MapGet("/metadata", () => Results.Text("""{"resourceType":"CapabilityStatement","status":"active","kind":"instance","fhirVersion":"4.0.1","format":["json"]}""", "application/fhir+json"));
        return group;
    }
}
