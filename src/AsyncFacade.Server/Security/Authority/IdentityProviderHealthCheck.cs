using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AsyncFacade.Server.Security.Authority;

/// <summary>
/// `identity-provider` in `/health/ready` (only with `Auth:Authority`): reads the discovery document now, with a short
/// timeout. Never Unhealthy: a provider outage must not take the facade out of rotation, since cached keys keep
/// verifying tokens; it is Degraded, saying whether tokens can still be verified.
/// </summary>
internal sealed class IdentityProviderHealthCheck(IHttpClientFactory clients, AuthorityConfiguration authority) : IHealthCheck
{
    public const string Name = "identity-provider";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var address = authority.MetadataAddress;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            using var response = await clients.CreateClient(AuthorityDocuments.ClientName).GetAsync(address, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return Degraded($"{address} answered {(int)response.StatusCode}");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Degraded($"{address} is unreachable: {(ex is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds} s" : ex.Message)}");
        }
        if (authority.Current is null)
        {
            // It answers again: read the keys now rather than at the next token (or wait out the retry delay).
            try
            {
                await authority.GetConfigurationAsync(cancellationToken).WaitAsync(Timeout, cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                return Degraded($"{address} answered, but its keys could not be read: {ex.Message}");
            }
        }
        return HealthCheckResult.Healthy($"{address} answered; {authority.Current?.SigningKeys.Count ?? 0} signing keys cached at {authority.CachedAt:O}");
    }

    private HealthCheckResult Degraded(string problem) => HealthCheckResult.Degraded(authority.Current is null
        ? $"{problem}; no keys read yet, so requests with a token get 503 until it answers"
        : $"{problem}; tokens are verified with the {authority.Current.SigningKeys.Count} keys read at {authority.CachedAt:O}");
}
