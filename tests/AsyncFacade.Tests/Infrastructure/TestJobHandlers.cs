using System.Collections.Concurrent;
using AsyncFacade.Server.Jobs;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFacade.Tests.Infrastructure;

/// <summary>Job kinds that exist only in tests, to prove the job plumbing before real kinds use it.</summary>
public static class TestJobHandlers
{
    public const string Echo = "test-echo";
    public const string Fail = "test-fail";
    public const string Block = "test-block";
    public const string Hold = "test-hold";

    private static readonly ConcurrentDictionary<string, int> RunCounts = new();
    private static readonly ConcurrentDictionary<string, bool> Stopped = new();
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Holds = new();

    /// <summary>How many times a test job's handler actually ran (across every host in this process).</summary>
    public static int Runs(string jobId) => RunCounts.GetValueOrDefault(jobId);

    /// <summary>Whether a blocking job's run has ended (it saw its token fire).</summary>
    public static bool HasStopped(string jobId) => Stopped.GetValueOrDefault(jobId);

    /// <summary>Lets a held job complete, on whichever host in this process runs it.</summary>
    public static void Release(string jobId) => HoldOf(jobId).TrySetResult();

    public static IServiceCollection AddTestJobHandlers(this IServiceCollection services) => services
        .AddKeyedTransient<IJobHandler, EchoHandler>(Echo)
        .AddKeyedTransient<IJobHandler, FailHandler>(Fail)
        .AddKeyedTransient<IJobHandler, BlockHandler>(Block)
        .AddKeyedTransient<IJobHandler, HoldHandler>(Hold);

    private static TaskCompletionSource HoldOf(string jobId) =>
        Holds.GetOrAdd(jobId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Reports progress, then returns the request URL as its result.</summary>
    private sealed class EchoHandler : IJobHandler
    {
        public async Task<string?> RunAsync(JobContext context, CancellationToken cancellationToken)
        {
            RunCounts.AddOrUpdate(context.Job.Id, 1, (_, n) => n + 1);
            await context.ReportProgressAsync("echoing", cancellationToken);
            return $$"""{"echo":"{{context.Job.Request.Url}}"}""";
        }
    }

    private sealed class FailHandler : IJobHandler
    {
        public Task<string?> RunAsync(JobContext context, CancellationToken cancellationToken) =>
            throw new JobFailedException(new OperationOutcome
            {
                Issue = [new() { Severity = OperationOutcome.IssueSeverity.Error, Code = OperationOutcome.IssueType.Transient, Diagnostics = "upstream busy" }],
            }, "upstream busy");
    }

    /// <summary>Runs until cancelled.</summary>
    private sealed class BlockHandler : IJobHandler
    {
        public async Task<string?> RunAsync(JobContext context, CancellationToken cancellationToken)
        {
            RunCounts.AddOrUpdate(context.Job.Id, 1, (_, n) => n + 1);
            await context.ReportProgressAsync("blocking", cancellationToken);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return null;
            }
            finally
            {
                Stopped[context.Job.Id] = true;
            }
        }
    }

    /// <summary>Runs until <see cref="Release"/> (then completes) or until cancelled.</summary>
    private sealed class HoldHandler : IJobHandler
    {
        public async Task<string?> RunAsync(JobContext context, CancellationToken cancellationToken)
        {
            await context.ReportProgressAsync("holding", cancellationToken);
            await HoldOf(context.Job.Id).Task.WaitAsync(cancellationToken);
            return """{"released":true}""";
        }
    }
}
