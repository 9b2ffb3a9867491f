using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using AsyncFacade.Server.Async;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Telemetry;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AsyncFacade.Tests.Telemetry;

/// <summary>
/// The facade's instruments and spans, seen in-process the way the OpenTelemetry SDK sees them (MeterListener,
/// ActivityListener; no exporter), and the Telemetry:Enabled switch that registers the SDK itself.
/// </summary>
public sealed class TelemetryTests
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Export_and_import_move_the_resource_counters_by_exactly_what_they_wrote_and_each_job_run_has_a_span()
    {
        await using var app = new FacadeApplication().Start();
        using var metrics = new MetricRecorder(app.GetRequiredService<IMeterFactory>());
        using var spans = new SpanRecorder();
        var client = new AsyncClient(app.CreateRawClient());

        var export = await client.KickOffAsync("/fhir/$export?_type=Patient,Observation");
        using var exported = await client.WaitAsync(export, TimeSpan.FromSeconds(60));
        var manifestJson = await exported.Content.ReadAsStringAsync(ct);
        var outputs = (await FhirAssert.JsonAsync(exported)).GetProperty("output").EnumerateArray()
            .Select(o => (Type: o.GetProperty("type").GetString()!, Count: o.GetProperty("count").GetInt64())).ToList();
        var import = await client.KickOffAsync(new HttpRequestMessage(HttpMethod.Post, "/fhir/$import")
        {
            Content = new StringContent(manifestJson, Encoding.UTF8, "application/json"),
        });
        using var imported = await client.WaitAsync(import, TimeSpan.FromSeconds(60));
        var written = (await FhirAssert.JsonAsync(imported)).GetProperty("output").EnumerateArray().Sum(o => o.GetProperty("count").GetInt64());

        foreach (var type in new[] { "Patient", "Observation" })
        {
            var inFiles = outputs.Where(o => o.Type == type).Sum(o => o.Count);
            Assert.True(inFiles > 0);
            Assert.Equal(inFiles, metrics.Sum("asyncfacade.export.resources", ("type", type)));
            Assert.Equal(inFiles, metrics.Sum("asyncfacade.import.resources", ("type", type)));
        }
        Assert.Equal(outputs.Sum(o => o.Count), written);

        // Started once per job (waking a waiting export is not a start); finished once, with how long it took.
        var units = metrics.Sum("asyncfacade.jobs.started", ("kind", "export-unit"));
        Assert.True(units >= 2, $"{units} export units started");
        Assert.Equal(1, metrics.Sum("asyncfacade.jobs.started", ("kind", "export")));
        Assert.Equal(1, metrics.Sum("asyncfacade.jobs.started", ("kind", "import")));
        await Eventually.WaitForAsync(() => Task.FromResult(metrics.Sum("asyncfacade.jobs.finished", ("kind", "import"), ("state", "completed"))),
            n => n == 1, what: "the import counted as completed");
        Assert.Equal(1, metrics.Sum("asyncfacade.jobs.finished", ("kind", "export"), ("state", "completed")));
        Assert.Equal(units, metrics.Sum("asyncfacade.jobs.finished", ("kind", "export-unit"), ("state", "completed")));
        Assert.Equal(1, metrics.Count("asyncfacade.job.duration", ("kind", "export"), ("state", "completed")));
        Assert.True(metrics.Sum("asyncfacade.job.duration", ("kind", "export")) > 0);

        var exportId = export[(export.LastIndexOf('/') + 1)..];
        Assert.Contains(spans.Stopped, s => s.OperationName == "job.run" && Equals(s.GetTagItem(SpanRecorder.JobIdTag), exportId)
            && Equals(s.GetTagItem("asyncfacade.job.kind"), "export"));
        var unitSpans = await Eventually.WaitForAsync(() => Task.FromResult(spans.Stopped.Where(s => s.OperationName == "export.unit"
            && Equals(SpanRecorder.JobRunOf(s)?.GetTagItem("asyncfacade.job.parent_id"), exportId)).ToList()), l => l.Count == units, what: "a span per unit");
        Assert.Equal(outputs.Sum(o => o.Count), unitSpans.Sum(s => Convert.ToInt64(s.GetTagItem("asyncfacade.export.resources"))));
    }

    [Fact]
    public async Task A_cancelled_job_is_counted_as_finished_cancelled()
    {
        await using var app = new FacadeApplication().Start();
        using var metrics = new MetricRecorder(app.GetRequiredService<IMeterFactory>());
        var queue = app.GetRequiredService<JobQueue>();
        var job = await queue.EnqueueAsync(queue.NewJob(TestJobHandlers.Block, JobOwner.Anonymous, new JobRequest("GET", "Patient", JobRequest.NoHeaders))
            with { BaseUrl = app.ServerAddress + "fhir" }, ct);
        await Eventually.WaitForAsync(() => Task.FromResult(TestJobHandlers.Runs(job.Id)), n => n == 1, what: "the job to start");

        using var cancel = await app.CreateRawClient().DeleteAsync($"/fhir/_async/{job.Id}", ct);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal(1, metrics.Sum("asyncfacade.jobs.started", ("kind", TestJobHandlers.Block)));
        Assert.Equal(1, metrics.Sum("asyncfacade.jobs.finished", ("kind", TestJobHandlers.Block), ("state", "cancelled")));
        Assert.Equal(1, metrics.Count("asyncfacade.job.duration", ("kind", TestJobHandlers.Block), ("state", "cancelled")));
    }

    [Fact]
    public async Task Upstream_retries_are_counted_with_the_reason()
    {
        await using var upstream = await FlakyUpstream.StartAsync(ct);
        await using var app = new FacadeApplication(new Dictionary<string, string?> { ["Upstream:BaseUrl"] = upstream.BaseUrl }).Start();
        using var metrics = new MetricRecorder(app.GetRequiredService<IMeterFactory>());
        var client = new AsyncClient(app.CreateRawClient());

        using var done = await client.WaitAsync(await client.KickOffAsync("/fhir/Patient/flaky"));

        var entry = AsyncClient.SingleEntry(await FhirAssert.JsonAsync(done));
        Assert.Equal("flaky", entry.GetProperty("resource").GetProperty("id").GetString());
        Assert.Equal(1, metrics.Sum("asyncfacade.upstream.retries", ("reason", "503")));
        Assert.Equal(1, metrics.Sum("asyncfacade.upstream.retries"));
    }

    [Fact]
    public async Task With_Telemetry_Enabled_and_the_console_exporter_the_server_starts_and_serves_jobs()
    {
        await using var app = new FacadeApplication(new Dictionary<string, string?>
        {
            ["Telemetry:Enabled"] = "true",
            ["Telemetry:ConsoleExporter"] = "true",
            ["Telemetry:ServiceName"] = "asyncfacade-test",
        }).Start();
        var client = new AsyncClient(app.CreateRawClient());

        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/health/live", ct)).StatusCode);
        using var done = await client.WaitAsync(await client.KickOffAsync("/fhir/Patient/pat-1"));

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.NotNull(app.Services.GetService<TracerProvider>());
        Assert.NotNull(app.Services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task Without_Telemetry_Enabled_the_OpenTelemetry_SDK_is_not_registered()
    {
        await using var app = new FacadeApplication().Start();

        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Null(app.Services.GetService<MeterProvider>());
        Assert.NotNull(app.Services.GetService<FacadeMetrics>()); // the instruments exist either way
    }

    [Theory]
    [InlineData("OtlpEndpoint", "not a url", "Telemetry:OtlpEndpoint")]
    [InlineData("OtlpProtocol", "udp", "Telemetry:OtlpProtocol")]
    [InlineData("ServiceName", " ", "Telemetry:ServiceName")]
    public void Bad_telemetry_settings_are_refused_naming_the_key(string property, string value, string key)
    {
        var options = new TelemetryOptions();
        typeof(TelemetryOptions).GetProperty(property)!.SetValue(options, value);

        Assert.Contains(key, string.Join("\n", new TelemetryOptionsValidator().Validate(null, options).Failures ?? []));
        Assert.True(new TelemetryOptionsValidator().Validate(null, new TelemetryOptions()).Succeeded);
    }
}
