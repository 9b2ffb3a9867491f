using Microsoft.Extensions.Logging.Console;

namespace AsyncFacade.Server.Hosting;

/// <summary>
/// The console log formatter when Logging:Console:FormatterName is not set: readable single lines for a person at a
/// terminal, one JSON object per line when stdout goes to a container runtime, systemd or a log shipper.
/// </summary>
internal static class ConsoleLogFormat
{
    public static string Choose(string? configured, bool outputRedirected) =>
        !string.IsNullOrWhiteSpace(configured) ? configured
        : outputRedirected ? ConsoleFormatterNames.Json
        : ConsoleFormatterNames.Simple;

    public static IServiceCollection AddConsoleLogFormat(this IServiceCollection services)
    {
        // PostConfigure: runs after the Logging:Console section is bound, so a formatter set in any configuration source wins.
        services.PostConfigure<ConsoleLoggerOptions>(o => o.FormatterName = Choose(o.FormatterName, Console.IsOutputRedirected));
        // Logging:Console:FormatterOptions is shared by every formatter, and the simple one writes no space after the
        // timestamp (JSON must not get one inside its Timestamp value).
        services.PostConfigure<SimpleConsoleFormatterOptions>(o =>
        {
            if (o.TimestampFormat is [.., var last] && !char.IsWhiteSpace(last))
            {
                o.TimestampFormat += " ";
            }
        });
        return services;
    }
}
