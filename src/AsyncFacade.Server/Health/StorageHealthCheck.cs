using AsyncFacade.Server.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AsyncFacade.Server.Health;

/// <summary>
/// Ready only when the output store takes a write (<see cref="IOutputStore.CheckAsync"/>): a node that cannot store
/// output would accept kick-offs and fail every job. The provider is named, so an operator sees which store is down.
/// </summary>
internal sealed class StorageHealthCheck(IOutputStore output) : IHealthCheck
{
    public const string Name = "storage";

    /// <summary>A probe write takes milliseconds on a healthy store; a load balancer polls readiness every few seconds.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["provider"] = output.Provider };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await output.CheckAsync(deadline.Token);
            return HealthCheckResult.Healthy($"The {output.Provider} output store takes writes", data);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The {output.Provider} output store did not answer within {Timeout.TotalSeconds:0} s", data: data);
        }
        // Every provider fails its own way (IOException, RequestFailedException, AmazonS3Exception…): all mean "not ready".
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The {output.Provider} output store cannot be written: {ex.Message}", data: data);
        }
    }
}
