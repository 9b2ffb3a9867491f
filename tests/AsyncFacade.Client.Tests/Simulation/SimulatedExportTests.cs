using System.Net;
using AsyncFacade.Client.Bulk;
using AsyncFacade.Client.Tests.Infrastructure;
using Hl7.Fhir.Model;

namespace AsyncFacade.Client.Tests.Simulation;

/// <summary>Simulated export failures, expiry, protected files, partial manifests and error files.</summary>
public sealed class SimulatedExportTests(SimulationHost fixture) : IClassFixture<SimulationHost>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly ClientHost host = fixture.Host;

    private static ExportRequest Export(string behaviours, params string[] types) =>
        new() { Types = types.Length == 0 ? ["Patient"] : types, Headers = new Dictionary<string, string> { ["X-Simulate"] = behaviours } };

    [Fact]
    public async Task A_transient_failure_is_retried_until_the_budget_is_spent()
    {
        var options = ClientHost.FastOptions();
        options.MaxTransientErrors = 2;
        using var client = host.CreateClient(options);
        var progress = new Recorder<JobProgress>();

        var job = await client.ExportAsync(Export("fail=transient"), ct);
        var failure = await Assert.ThrowsAsync<FhirAsyncException>(() => client.WaitForCompletionAsync(job, progress, ct));

        Assert.Equal(FailureKind.Transient, failure.Kind);
        Assert.True(failure.IsTransient);
        Assert.Equal(OperationOutcome.IssueType.Transient, failure.Outcome!.Issue[0].Code);
        Assert.Equal(3, progress.Reports.Count(p => p.Status.State == JobState.TransientError)); // 2 retried, the 3rd gives up
    }

    [Fact]
    public async Task A_fatal_failure_is_terminal_at_once_with_its_OperationOutcome()
    {
        using var client = host.CreateClient();
        var progress = new Recorder<JobProgress>();

        var job = await client.ExportAsync(Export("fail=fatal"), ct);
        var failure = await Assert.ThrowsAsync<FhirAsyncException>(() => client.WaitForCompletionAsync(job, progress, ct));

        Assert.Equal(FailureKind.Terminal, failure.Kind);
        Assert.Equal(OperationOutcome.IssueType.Exception, failure.Outcome!.Issue[0].Code);
        Assert.Equal(JobState.Failed, progress.Reports.Last().Status.State);
        Assert.DoesNotContain(progress.Reports, p => p.Status.State == JobState.TransientError);
    }

    [Fact]
    public async Task Files_are_fetched_before_Expires_and_refused_after_it()
    {
        using var dir = new TempDirectory();
        using var client = host.CreateClient();
        var job = await client.ExportAsync(Export("expire=3"), ct);
        var result = await client.WaitForCompletionAsync(job, null, ct);
        Assert.NotNull(result.Expires);

        var report = await client.DownloadAsync(result, Path.Combine(dir.Path, "in-time"), null, ct);
        Assert.Equal(100, report.Resources);

        await AsyncFacade.Tests.Infrastructure.Eventually.WaitForAsync(() => client.PollAsync(job.StatusUrl, ct), s => s.StatusCode == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(15), "the simulated expiry");
        var late = await Assert.ThrowsAsync<FhirAsyncException>(() => client.DownloadAsync(result, Path.Combine(dir.Path, "late"), null, ct));
        Assert.Equal(FailureKind.Expired, late.Kind);
        // Without a known Expires the server's 404 still says it all.
        var gone = await Assert.ThrowsAsync<FhirAsyncException>(() => client.DownloadAsync(result with { Expires = null }, Path.Combine(dir.Path, "late2"), null, ct));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Files_that_require_a_token_get_it_and_fail_without_one()
    {
        using var dir = new TempDirectory();
        var options = ClientHost.FastOptions();
        options.BearerToken = "any-token-will-do";
        using var withToken = host.CreateClient(options);
        using var without = host.CreateClient();

        var result = await withToken.WaitForCompletionAsync(await withToken.ExportAsync(Export("require-token"), ct), null, ct);
        var report = await withToken.DownloadAsync(result, Path.Combine(dir.Path, "a"), null, ct);
        var refused = await Assert.ThrowsAsync<FhirAsyncException>(() => without.DownloadAsync(result, Path.Combine(dir.Path, "b"), null, ct));

        Assert.True(result.Manifest!.RequiresAccessToken);
        Assert.Equal(100, report.Resources);
        Assert.Equal(FailureKind.Unauthorized, refused.Kind);
    }

    [Fact]
    public async Task Partial_manifest_pages_are_merged_into_one_result()
    {
        using var dir = new TempDirectory();
        using var client = host.CreateClient();

        var result = await client.WaitForCompletionAsync(await client.ExportAsync(Export("partial, duration=2", "Patient", "Encounter", "Condition"), ct), null, ct);
        var report = await client.DownloadAsync(result, dir.Path, null, ct);

        Assert.Null(result.Manifest!.NextPage);
        Assert.Equal(["Condition", "Encounter", "Patient"], result.Manifest.Output.Select(f => f.Type).Distinct().Order());
        Assert.Equal(100 + 300 + 200, report.Resources);
    }

    [Fact]
    public async Task A_simulated_error_file_is_saved_and_reported()
    {
        using var dir = new TempDirectory();
        using var client = host.CreateClient();

        var result = await client.WaitForCompletionAsync(await client.ExportAsync(Export("error-file"), ct), null, ct);
        var report = await client.DownloadAsync(result, dir.Path, null, ct);

        Assert.Single(report.Files, f => f.Role == FileRole.Error);
        Assert.Contains(report.Issues, i => i.Diagnostics?.StartsWith("Simulated error", StringComparison.Ordinal) == true);
        Assert.Equal(100, report.Resources);
    }
}
