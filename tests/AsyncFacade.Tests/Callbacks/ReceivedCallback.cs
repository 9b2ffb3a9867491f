using System.Text.Json;

namespace AsyncFacade.Tests.Callbacks;

/// <summary>One request as <see cref="CallbackReceiver"/> saw it: the raw body bytes, so a signature can be checked over them.</summary>
public sealed record ReceivedCallback(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    /// <summary>The Parameters parameter with this name; fails the test when it is missing.</summary>
    public JsonElement Parameter(string name) =>
        Json.GetProperty("parameter").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name);
}
