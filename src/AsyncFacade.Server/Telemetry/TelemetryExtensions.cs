using AsyncFacade.Server.Jobs;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AsyncFacade.Server.Telemetry;

internal static class TelemetryExtensions
{
    /// <summary>
    /// The facade's instruments always; the OpenTelemetry SDK (traces and metrics of the facade, ASP.NET Core and
    /// HttpClient, exported over OTLP and/or to the console) only with Telemetry:Enabled.
    /// </summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<TelemetryOptions, TelemetryOptionsValidator>().BindConfiguration(TelemetryOptions.Section);
        services.AddSingleton<FacadeMetrics>();
        services.AddSingleton<IJobFinishedListener, JobMetricsListener>();

        // Read here, not through IOptions: whether the SDK exists is decided while services are registered.
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!options.Enabled)
        {
            return builder;
        }
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(FacadeTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                AddExporters(options, "traces", tracing.AddOtlpExporter, () => tracing.AddConsoleExporter());
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(FacadeTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                AddExporters(options, "metrics", metrics.AddOtlpExporter, () => metrics.AddConsoleExporter());
            });
        return builder;
    }

    /// <summary>OTLP when an endpoint is set or nothing else is (the SDK then reads OTEL_EXPORTER_OTLP_*); the console when asked.</summary>
    private static void AddExporters<T>(TelemetryOptions options, string signal, Func<Action<OtlpExporterOptions>, T> addOtlp, Action addConsole)
    {
        if (!string.IsNullOrEmpty(options.OtlpEndpoint) || !options.ConsoleExporter)
        {
            addOtlp(otlp =>
            {
                if (!string.IsNullOrEmpty(options.OtlpEndpoint))
                {
                    // An endpoint set in code is used as is: over HTTP it needs the signal's path (the SDK adds it only to
                    // OTEL_EXPORTER_OTLP_ENDPOINT).
                    var grpc = options.OtlpProtocol == "grpc";
                    otlp.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                    otlp.Endpoint = new Uri(grpc ? options.OtlpEndpoint : options.OtlpEndpoint.TrimEnd('/') + "/v1/" + signal);
                }
            });
        }
        if (options.ConsoleExporter)
        {
            addConsole();
        }
    }
}
