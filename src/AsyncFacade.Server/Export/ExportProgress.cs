namespace AsyncFacade.Server.Export;

/// <summary>Counters shared by the parallel type exports, rendered as X-Progress.</summary>
internal sealed class ExportProgress(int types, long resumedResources)
{
    private long resources = resumedResources;
    private int typesDone;

    public long Resources => Interlocked.Read(ref resources);

    public void Add(int count) => Interlocked.Add(ref resources, count);

    public void TypeDone() => Interlocked.Increment(ref typesDone);

    public string Describe() => $"exporting: {Volatile.Read(ref typesDone)} of {types} types done, {Resources:N0} resources";
}
