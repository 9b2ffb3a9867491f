using Microsoft.Extensions.Logging;

namespace AsyncFacade.Tests.Callbacks;

/// <summary>One log line: its formatted message and its named placeholders ({JobId}, {CallbackHost}…).</summary>
public sealed record RecordedLog(string Category, LogLevel Level, int EventId, string Message, IReadOnlyDictionary<string, object?> Properties, Exception? Exception)
{
    public object? this[string property] => Properties.TryGetValue(property, out var value) ? value : null;

    public override string ToString() => $"{Level} {EventId} {Message}";
}
