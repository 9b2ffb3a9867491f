using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Upstream;

/// <summary>Adds the configured static upstream credential to job-side calls (real upstreams require auth).</summary>
internal sealed class UpstreamCredentialHandler(IOptions<UpstreamOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(options.Value.BearerToken))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.BearerToken);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
