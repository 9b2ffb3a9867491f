using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace AsyncFacade.Tests.Callbacks;

/// <summary>One log line: its formatted message and its named placeholders ({JobId}, {CallbackHost}…).</summary>
public sealed record RecordedLog(string Category, LogLevel Level, int EventId, string Message, IReadOnlyDictionary<string, object?> Properties, Exception? Exception)
{
    /// <summary>The key-value pairs of the scopes the line was logged in (JobId, JobKind…), innermost last.</summary>
    public IReadOnlyDictionary<string, object?> Scopes { get; init; } = new Dictionary<string, object?>();

    /// <summary>The Activity current when the line was logged, if any listener made one.</summary>
    public Activity? Activity { get; init; }

    public object? this[string property] => Properties.TryGetValue(property, out var value) ? value : null;

    public override string ToString() => $"{Level} {EventId} {Message}";
}
