using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Hosting;

/// <summary>Configuration errors stop start-up with one line per bad key, not a stack trace.</summary>
internal static class StartupValidation
{
    /// <summary>Runs every ValidateOnStart check now, before any hosted service (Hangfire) consumes a bad value.</summary>
    public static void ValidateConfiguration(this WebApplication app) =>
        app.Services.GetRequiredService<IStartupValidator>().Validate();

    /// <summary>The operator-facing message for a configuration failure; null for any other exception.</summary>
    public static string? Describe(Exception exception)
    {
        var failures = exception switch
        {
            OptionsValidationException options => options.Failures,
            AggregateException aggregate when aggregate.InnerExceptions.All(e => e is OptionsValidationException) =>
                aggregate.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures),
            StartupConfigurationException { Message: var m } => [m],
            // The binder's own message names the key: "Failed to convert configuration value at 'Server:Role' …".
            InvalidOperationException { Message: var m } when m.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => [m],
            _ => null,
        };
        return failures is null ? null : "Configuration error:" + string.Concat(failures.Select(f => Environment.NewLine + "  " + f));
    }
}
