using System.Collections.Concurrent;
using System.Diagnostics;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace AsyncFacade.Tests.Callbacks;

/// <summary>
/// A logger provider that keeps every line in memory. Logs are where the callback feature reports what happened to a
/// delivery (it never reports back to the job), so tests wait on them instead of sleeping. Each line also keeps the
/// structured scopes it was logged in and the Activity that was current, to check that job lines carry their job's id.
/// </summary>
public sealed class LogRecorder : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<RecordedLog> entries = new();
    private IExternalScopeProvider? scopes;

    public IReadOnlyList<RecordedLog> Entries => [.. entries];

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(categoryName, this);

    public async Task<RecordedLog> WaitForAsync(int eventId, string jobId, TimeSpan? timeout = null)
    {
        try
        {
            var entry = await Eventually.WaitForAsync(
                () => Task.FromResult(Entries.FirstOrDefault(e => e.EventId == eventId && Equals(e["JobId"], jobId))),
                e => e is not null,
                timeout,
                $"log event {eventId} for job {jobId}");
            return entry!;
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nLogged so far:\n{string.Join('\n', Entries)}", ex);
        }
    }

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private Dictionary<string, object?> CurrentScopes()
    {
        var fields = new Dictionary<string, object?>();
        scopes?.ForEachScope(static (scope, fields) =>
        {
            if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    fields[key] = value;
                }
            }
        }, fields);
        return fields;
    }

    private sealed class RecordingLogger(string category, LogRecorder recorder) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value)
                : [];
            recorder.entries.Enqueue(new RecordedLog(category, logLevel, eventId.Id, formatter(state, exception), properties, exception)
            {
                Scopes = recorder.CurrentScopes(),
                Activity = Activity.Current,
            });
        }
    }
}
