using System.Text.Json;
using AsyncFacade.Server.Export;
using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Upstream;

/// <summary>
/// The upstream's CapabilityStatement as <see cref="UpstreamCapabilities"/>, read at most once per <see cref="Lifetime"/>
/// and by one caller at a time (the others wait for its answer). For request-time decisions, e.g. whether a type can be
/// narrowed to a patient; an export reads its own copy once per job. A statement that cannot be read is not cached: the
/// next caller tries again.
/// </summary>
internal sealed class UpstreamCapabilityCache(TimeProvider time, ILogger<UpstreamCapabilityCache> logger) : IDisposable
{
    /// <summary>Short enough that a redeployed upstream is seen within minutes, long enough that busy traffic reads it rarely.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile Entry? current;

    /// <summary>The statement, or null when the upstream could not give one (unreachable, refused, not a CapabilityStatement).</summary>
    public async Task<UpstreamCapabilities?> GetAsync(UpstreamClient upstream, CancellationToken cancellationToken)
    {
        if (Fresh() is { } cached)
        {
            return cached;
        }
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } readMeanwhile)
            {
                return readMeanwhile;
            }
            var read = await UpstreamCapabilities.ReadAsync(upstream, cancellationToken);
            current = new Entry(read, time.GetUtcNow());
            return read;
        }
        catch (Exception ex) when (ex is JobFailedException or Credentials.UpstreamAuthException or JsonException)
        {
            UpstreamLog.CapabilitiesUnavailable(logger, ex.Message);
            return null;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Forgets the statement, so the next caller reads it again.</summary>
    public void Invalidate() => current = null;

    public void Dispose() => gate.Dispose();

    private UpstreamCapabilities? Fresh() => current is { } entry && time.GetUtcNow() - entry.ReadAt < Lifetime ? entry.Capabilities : null;

    private sealed record Entry(UpstreamCapabilities Capabilities, DateTimeOffset ReadAt);
}
