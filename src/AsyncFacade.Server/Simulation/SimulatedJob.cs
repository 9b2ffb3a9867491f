using AsyncFacade.SampleUpstream.Faults;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Jobs;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Simulation;

/// <summary>
/// The run side of the simulation: a job asked to fail fails before its handler starts, and every upstream call made
/// while a job runs carries the faults it asked for (`X-Simulate-Upstream`), through <see cref="SimulatedFaultsHandler"/>.
/// </summary>
internal static class SimulatedJob
{
    private static readonly AsyncLocal<string?> UpstreamFaultsOfRun = new();

    public static string? UpstreamFaults => UpstreamFaultsOfRun.Value;

    /// <summary>Called as a job's run starts, on its flow; returns the failure the job was asked to end with, if any.</summary>
    public static OperationOutcome? Enter(JobRecord job)
    {
        UpstreamFaultsOfRun.Value = job.Request.Headers.GetValueOrDefault(FaultPlan.Header);
        return SimulatedBehaviour.Of(job)?.Fail switch
        {
            "transient" => Outcomes.Create(OperationOutcome.IssueType.Transient,
                $"Simulated transient failure ({SimulatedBehaviour.Header}: fail=transient): starting the same request again may succeed."),
            "fatal" => Outcomes.Create(OperationOutcome.IssueType.Exception,
                $"Simulated fatal failure ({SimulatedBehaviour.Header}: fail=fatal): starting the same request again will fail again."),
            _ => null,
        };
    }
}

/// <summary>Adds the running job's simulated upstream faults to each upstream call (the sample upstream acts on them).</summary>
internal sealed class SimulatedFaultsHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (SimulatedJob.UpstreamFaults is { } faults && !request.Headers.Contains(FaultPlan.Header))
        {
            request.Headers.TryAddWithoutValidation(FaultPlan.Header, faults);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
