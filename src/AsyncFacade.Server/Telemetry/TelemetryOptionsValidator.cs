using AsyncFacade.Server.Hosting;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Telemetry;

internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public static readonly string[] Protocols = ["grpc", "http/protobuf"];

    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var builder = new ValidateOptionsResultBuilder().AbsoluteHttpUrl("Telemetry:OtlpEndpoint", options.OtlpEndpoint);
        if (!Protocols.Contains(options.OtlpProtocol))
        {
            builder.AddError($"Telemetry:OtlpProtocol must be one of {string.Join(", ", Protocols)}, got '{options.OtlpProtocol}'.");
        }
        if (string.IsNullOrWhiteSpace(options.ServiceName))
        {
            builder.AddError("Telemetry:ServiceName must not be empty.");
        }
        return builder.Build();
    }
}
