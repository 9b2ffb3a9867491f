using System.Collections.Concurrent;

namespace AsyncFacade.Client.Tests.Infrastructure;

/// <summary>An IProgress that records every report synchronously, in order (Progress&lt;T&gt; would post them later).</summary>
public sealed class Recorder<T> : IProgress<T>
{
    private readonly ConcurrentQueue<T> reports = new();

    public IReadOnlyList<T> Reports => [.. reports];

    public void Report(T value) => reports.Enqueue(value);
}
