namespace AsyncFacade.Server.Telemetry;

public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>
    /// Registers the OpenTelemetry SDK (traces and metrics). Off: the facade's ActivitySource and Meter still exist, but
    /// with nobody listening they cost next to nothing.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>OTLP collector, e.g. http://otel-collector:4317. Empty (and no console exporter): the SDK's own default (OTEL_EXPORTER_OTLP_ENDPOINT, else localhost:4317).</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>"grpc" (port 4317) or "http/protobuf" (port 4318).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>Also print spans and metrics to standard output (local debugging).</summary>
    public bool ConsoleExporter { get; set; }

    /// <summary>The service.name resource attribute.</summary>
    public string ServiceName { get; set; } = "asyncfacade";
}
