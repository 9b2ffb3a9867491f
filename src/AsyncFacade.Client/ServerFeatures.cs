using System.Text.Json;

namespace AsyncFacade.Client;

/// <summary>The optional async features a server advertises in its CapabilityStatement.</summary>
/// <param name="LongPolling">`Prefer: wait=N` holds a status request until the job changes.</param>
/// <param name="Callbacks">`callback-url` in `Prefer` gets a POST when the job ends.</param>
public sealed record ServerFeatures(bool LongPolling, bool Callbacks)
{
    public static readonly ServerFeatures None = new(false, false);

    /// <summary>
    /// No standard element says this yet, so servers describe it in `rest.documentation` (AsyncFacade does) or an extension:
    /// both are searched for the `Prefer` tokens themselves.
    /// </summary>
    internal static ServerFeatures FromCapabilityStatement(JsonElement statement)
    {
        var text = new List<string>();
        if (statement.TryGetProperty("rest", out var rest) && rest.ValueKind == JsonValueKind.Array)
        {
            foreach (var server in rest.EnumerateArray())
            {
                if (server.TryGetProperty("documentation", out var documentation) && documentation.ValueKind == JsonValueKind.String)
                {
                    text.Add(documentation.GetString()!);
                }
                if (server.TryGetProperty("extension", out var extensions) && extensions.ValueKind == JsonValueKind.Array)
                {
                    text.AddRange(extensions.EnumerateArray().Select(e => e.GetRawText()));
                }
            }
        }
        var all = string.Join("\n", text);
        return new ServerFeatures(
            all.Contains("wait=", StringComparison.OrdinalIgnoreCase) || all.Contains("long-poll", StringComparison.OrdinalIgnoreCase),
            all.Contains("callback-url", StringComparison.OrdinalIgnoreCase));
    }
}
