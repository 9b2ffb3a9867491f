using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AsyncFacade.Server.Upstream;

/// <summary>Ready only when the upstream answers its CapabilityStatement; a single attempt, no retries.</summary>
internal sealed class UpstreamHealthCheck(IHttpClientFactory clients, UpstreamEndpoint endpoint) : IHealthCheck
{
    public const string ClientName = "upstream-health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = clients.CreateClient(ClientName);
            using var response = await client.GetAsync(endpoint.Resolve("metadata"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy($"{endpoint.BaseUrl} answered {(int)response.StatusCode}")
                : HealthCheckResult.Unhealthy($"{endpoint.BaseUrl}/metadata answered {(int)response.StatusCode}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"{endpoint.BaseUrl} is unreachable: {ex.Message}");
        }
    }
}
