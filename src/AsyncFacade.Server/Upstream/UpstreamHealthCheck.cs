using System.Net;
using AsyncFacade.Server.Upstream.Credentials;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AsyncFacade.Server.Upstream;

/// <summary>
/// Ready only when the upstream answers its CapabilityStatement to the facade's credentials; a single attempt, no
/// retries. Refused credentials are named as such (a wrong secret or key at the token endpoint, a 401/403 to a fresh
/// token), since every job would fail the same way and restarting the facade would not help.
/// </summary>
internal sealed class UpstreamHealthCheck(IHttpClientFactory clients, UpstreamEndpoint endpoint, UpstreamTokenSource tokens) : IHealthCheck
{
    public const string ClientName = "upstream-health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var earlier = tokens.Refusal;
        try
        {
            using var client = clients.CreateClient(ClientName);
            using var response = await client.GetAsync(endpoint.Resolve("metadata"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (tokens.IsActive && (UpstreamCredentialHandler.IsRefusal(response) || response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
            {
                return HealthCheckResult.Unhealthy(
                    $"{endpoint.BaseUrl} refuses the facade's credentials (Upstream:Auth:Mode {tokens.Mode}): /metadata answered {(int)response.StatusCode} to a current token.");
            }
            if (!response.IsSuccessStatusCode)
            {
                return HealthCheckResult.Unhealthy($"{endpoint.BaseUrl}/metadata answered {(int)response.StatusCode}");
            }
            // Many servers serve /metadata without a token: an earlier refusal of a data call is still worth saying.
            return earlier is { } refusal
                ? HealthCheckResult.Degraded($"{endpoint.BaseUrl} answered {(int)response.StatusCode}, but refused the facade's credentials at {refusal.At:O}: {refusal.Description}")
                : HealthCheckResult.Healthy($"{endpoint.BaseUrl} answered {(int)response.StatusCode}");
        }
        catch (UpstreamAuthException ex)
        {
            return HealthCheckResult.Unhealthy($"{endpoint.BaseUrl} refuses the facade's credentials: {ex.Message}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"{endpoint.BaseUrl} is unreachable: {ex.Message}");
        }
    }
}
