using System.Net;
using System.Text;
using AsyncFacade.Tests.Callbacks;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AsyncFacade.Tests.Telemetry;

/// <summary>
/// Every line written while a job runs — runner, handlers, the upstream client and HttpClient's own lines — carries the
/// job's id (and kind, and parent for an export unit) as a structured logging scope. "While a job runs" is told apart
/// independently of the scope: by the job-run span that was current when the line was logged.
/// </summary>
public sealed class LogScopeTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly LogRecorder logs = new();
    private readonly SpanRecorder spans = new();
    private FacadeApplication app = null!;

    public ValueTask InitializeAsync()
    {
        app = new FacadeApplication(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:AsyncFacade"] = "Debug",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Information",
            ["Logging:LogLevel:Hangfire"] = "Information",
        }, configureServices: services => services.AddSingleton<ILoggerProvider>(logs)).Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        spans.Dispose();
    }

    [Fact]
    public async Task Every_line_logged_inside_a_job_carries_its_JobId_JobKind_and_ParentJobId_scope()
    {
        var client = new AsyncClient(app.CreateRawClient());
        var export = await client.KickOffAsync("/fhir/$export?_type=Patient,Observation");
        using var manifest = await client.WaitAsync(export, TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        var import = await client.KickOffAsync(new HttpRequestMessage(HttpMethod.Post, "/fhir/$import")
        {
            Content = new StringContent(await manifest.Content.ReadAsStringAsync(ct), Encoding.UTF8, "application/json"),
        });
        var interaction = await client.KickOffAsync("/fhir/Patient/pat-1");
        Assert.Equal(HttpStatusCode.OK, (await client.WaitAsync(import, TimeSpan.FromSeconds(60))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.WaitAsync(interaction)).StatusCode);

        var jobLines = logs.Entries.Select(line => (Line: line, Run: SpanRecorder.JobRunOf(line.Activity))).Where(l => l.Run is not null).ToList();
        Assert.All(jobLines, l =>
        {
            var expected = (Id: l.Run!.GetTagItem(SpanRecorder.JobIdTag), Kind: l.Run.GetTagItem("asyncfacade.job.kind"), Parent: l.Run.GetTagItem("asyncfacade.job.parent_id"));
            var scoped = (Id: l.Line.Scopes.GetValueOrDefault("JobId"), Kind: l.Line.Scopes.GetValueOrDefault("JobKind"), Parent: l.Line.Scopes.GetValueOrDefault("ParentJobId"));
            Assert.True(expected == scoped, $"{l.Line.Category} \"{l.Line.Message}\" was logged in job {expected} with scope {scoped}");
        });

        // The check above is not vacuous: it saw lines of every kind of job and from every layer a job goes through.
        var ids = new[] { export, import, interaction }.Select(url => url[(url.LastIndexOf('/') + 1)..]).ToList();
        Assert.All(ids, id => Assert.Contains(jobLines, l => Equals(l.Line.Scopes["JobId"], id)));
        Assert.Contains(jobLines, l => Equals(l.Line.Scopes.GetValueOrDefault("ParentJobId"), ids[0]));
        foreach (var category in new[] { "AsyncFacade.Server.Jobs.", "AsyncFacade.Server.Export.", "AsyncFacade.Server.Import.", "System.Net.Http.HttpClient.UpstreamClient." })
        {
            Assert.Contains(jobLines, l => l.Line.Category.StartsWith(category, StringComparison.Ordinal));
        }
    }
}
