namespace AsyncFacade.SampleUpstream.Generation;

/// <summary>
/// SplitMix64 stream keyed by (seed, type, index): every resource gets its own reproducible stream, so a
/// resource can be generated alone, in any order, without generating the ones before it.
/// </summary>
internal struct DeterministicRandom(ulong seed, ulong stream, long index)
{
    private const ulong Gamma = 0x9E3779B97F4A7C15;

    private ulong state = Mix(seed ^ Mix((stream * Gamma) + (ulong)index));

    public ulong NextUInt64()
    {
        state += Gamma;
        return Mix(state);
    }

    /// <summary>Uniform in [0, max).</summary>
    public int Next(int max) => (int)((NextUInt64() >> 33) % (ulong)max);

    /// <summary>Uniform in [min, max).</summary>
    public int Next(int min, int max) => min + Next(max - min);

    public T Pick<T>(T[] values) => values[Next(values.Length)];

    /// <summary>Stable 64-bit hash of a type name (string.GetHashCode is randomised per process).</summary>
    public static ulong StreamOf(string name)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
