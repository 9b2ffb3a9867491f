using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace AsyncFacade.SampleUpstream.Auth;

/// <summary>The token endpoint and SMART configuration, under the sample's base but outside the token check.</summary>
internal static class SampleAuthEndpoints
{
    public static void Map(IEndpointRouteBuilder app, string basePath)
    {
        var group = app.MapGroup(basePath).ExcludeFromDescription();
        group.MapPost(SampleTokenEndpoint.Path, SampleTokenEndpoint.IssueAsync).DisableAntiforgery();
        group.MapGet(SampleSmartConfiguration.Path, SampleSmartConfiguration.Get);
    }
}
