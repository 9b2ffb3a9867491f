using AsyncFacade.Tests.Callbacks;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AsyncFacade.Tests.Async;

/// <summary>
/// A facade whose upstream holds some requests: <see cref="Held"/> (and every Observation search) answers after ten
/// minutes, so the job stays running until cancelled, and <see cref="OneSecond"/> after one second, so the job finishes
/// while a long poll waits. Its logs are recorded.
/// </summary>
public abstract class LongPollFacade(FacadeStore store, LogRecorder logs) : FacadeFixture(store, new Dictionary<string, string?>
{
    ["SampleUpstream:Faults"] = "slow;ms=600000;path=Patient/held, slow;ms=600000;path=Observation, slow;ms=1000;path=Patient/pat-7",
    // Every held job gets a worker: the load test's jobs all start while they are long-polled.
    ["Jobs:WorkerCount"] = "30",
}, services => services.AddSingleton<ILoggerProvider>(logs))
{
    public const string Held = "/fhir/Patient/held";
    public const string OneSecond = "/fhir/Patient/pat-7";

    public LogRecorder Logs => logs;
}

public sealed class InMemoryLongPollFacade() : LongPollFacade(FacadeStore.InMemory, new LogRecorder());

public sealed class PostgresLongPollFacade() : LongPollFacade(FacadeStore.Postgres, new LogRecorder());
