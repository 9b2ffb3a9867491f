using System.Text.Json.Nodes;

namespace AsyncFacade.SampleUpstream.Store;

/// <summary>A checked create/update/delete, ready to apply: the id is already assigned (server ids for POST).</summary>
/// <param name="Method">POST, PUT or DELETE.</param>
/// <param name="Resource">The body for POST/PUT (its id/meta are rewritten when applied); null for DELETE.</param>
internal sealed record PreparedWrite(string Method, string ResourceType, string Id, JsonObject? Resource);
