using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace AsyncFacade.Server.Jobs;

/// <summary>
/// Hangfire keeps its log provider in a static. With several hosts in one process (tests, benchmarks) it outlives
/// the host whose LoggerFactory it wraps, and then every Hangfire logger creation — even in a job attribute's
/// constructor — throws ObjectDisposedException and breaks job creation. Fall back to silence instead.
/// </summary>
internal sealed class HostSafeLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
