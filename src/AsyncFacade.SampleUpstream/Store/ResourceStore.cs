using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFacade.SampleUpstream.Generation;
using Microsoft.Extensions.Logging;

namespace AsyncFacade.SampleUpstream.Store;

/// <summary>
/// Generated data plus the overlay of changes made through the API. One lock guards the overlay: critical
/// sections only look up or append references (pages are collected under it and written after), so it is held
/// for microseconds. Transactions apply all their writes under one acquisition, which makes them atomic.
/// </summary>
internal sealed class ResourceStore(SampleDataSet data, TimeProvider time, ILogger<ResourceStore> logger)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, TypeOverlay> overlays = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> scratch = new(4096);
    private long lastWriteMs;

    public SampleDataSet Data => data;

    /// <summary>Held by readers that walk an overlay (search, history); see <see cref="OverlayOf"/>.</summary>
    internal Lock Gate => gate;

    /// <summary>The overlay of a type, or null when nothing was written to it. Callers hold <see cref="Gate"/>.</summary>
    internal TypeOverlay? OverlayOf(string resourceType) => overlays.GetValueOrDefault(resourceType);

    public ReadResult Read(string resourceType, string id)
    {
        lock (gate)
        {
            if (overlays.TryGetValue(resourceType, out var overlay) && overlay.Current.TryGetValue(id, out var current))
            {
                return new ReadResult(current.IsDeleted ? ReadStatus.Gone : ReadStatus.Found, null, -1, current);
            }
        }
        var generated = data.Find(resourceType);
        return generated is not null && generated.TryParseId(id, out var index)
            ? new ReadResult(ReadStatus.Found, generated, index, null)
            : ReadResult.NotFound;
    }

    public ReadResult ReadVersion(string resourceType, string id, int versionId)
    {
        lock (gate)
        {
            if (overlays.TryGetValue(resourceType, out var overlay) && overlay.Current.TryGetValue(id, out var current))
            {
                for (var version = current; version is not null; version = version.Previous)
                {
                    if (version.VersionId == versionId)
                    {
                        return new ReadResult(version.IsDeleted ? ReadStatus.Gone : ReadStatus.Found, null, -1, version);
                    }
                }
            }
        }
        // Version 1 of a generated resource stays readable after it was updated: it is regenerated on demand.
        var generated = data.Find(resourceType);
        return versionId == 1 && generated is not null && generated.TryParseId(id, out var index)
            ? new ReadResult(ReadStatus.Found, generated, index, null)
            : ReadResult.NotFound;
    }

    /// <summary>
    /// Applies the writes in order, atomically, with one lastUpdated for all of them. Returns the new version
    /// per write, or null for a delete of something that does not exist (deletes are idempotent). With
    /// <paramref name="keepUnchanged"/>, a PUT of the content already stored returns that version instead of a new one
    /// (what HAPI, Medplum and the Microsoft server do; see <see cref="Profiles.WriteQuirks.KeepVersionOnUnchangedUpdate"/>).
    /// </summary>
    public ResourceVersion?[] Apply(IReadOnlyList<PreparedWrite> writes, bool keepUnchanged = false)
    {
        var results = new ResourceVersion?[writes.Count];
        long now;
        lock (gate)
        {
            // A clock that never goes back keeps each change list sorted by lastUpdated (binary-searchable).
            now = Math.Max(time.GetUtcNow().ToUnixTimeMilliseconds(), lastWriteMs);
            lastWriteMs = now;
            for (var i = 0; i < writes.Count; i++)
            {
                results[i] = ApplyOne(writes[i], now, keepUnchanged);
            }
        }
        if (logger.IsEnabled(LogLevel.Debug))
        {
            SampleUpstreamLog.WritesApplied(logger, writes.Count, FhirInstant.ToInstantString(now));
        }
        return results;
    }

    private ResourceVersion? ApplyOne(PreparedWrite write, long now, bool keepUnchanged)
    {
        if (!overlays.TryGetValue(write.ResourceType, out var overlay))
        {
            overlay = new TypeOverlay();
            overlays.Add(write.ResourceType, overlay);
        }
        overlay.Current.TryGetValue(write.Id, out var current);
        long generatedIndex = -1;
        if (data.Find(write.ResourceType) is { } generated && generated.TryParseId(write.Id, out var index))
        {
            generatedIndex = index;
        }
        var exists = current is null ? generatedIndex >= 0 : !current.IsDeleted;
        var versionId = (current?.VersionId ?? (generatedIndex >= 0 ? 1 : 0)) + 1;
        ResourceVersion version;
        if (write.Resource is null)
        {
            if (!exists)
            {
                return null;
            }
            version = new ResourceVersion(write.ResourceType, write.Id, versionId, now, null, "DELETE", generatedIndex, current?.PatientId, current);
        }
        else
        {
            if (keepUnchanged && write.Method == "PUT" && current is { IsDeleted: false, Json: { } stored }
                && Serialize(write.ResourceType, write.Id, current.VersionId, current.LastUpdatedMs, write.Resource).AsSpan().SequenceEqual(stored))
            {
                // Same content under the same meta: a no-op update, answered 200 with the stored version.
                return current with { IsCreation = false };
            }
            var json = Serialize(write.ResourceType, write.Id, versionId, now, write.Resource);
            var patientId = CompartmentReference.PatientIdOf(write.ResourceType, write.Id, write.Resource);
            version = new ResourceVersion(write.ResourceType, write.Id, versionId, now, json, write.Method, generatedIndex, patientId, current)
            {
                IsCreation = !exists,
            };
        }
        overlay.Current[write.Id] = version;
        overlay.Changes.Add(version);
        if (generatedIndex >= 0)
        {
            overlay.OverriddenGenerated.Add(generatedIndex);
        }
        return version;
    }

    /// <summary>Writes the body with resourceType, id and meta first, and the server's id/versionId/lastUpdated.</summary>
    private byte[] Serialize(string resourceType, string id, int versionId, long now, JsonObject resource)
    {
        scratch.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(scratch, FhirJsonFormat.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("resourceType"u8, resourceType);
            writer.WriteString("id"u8, id);
            writer.WriteStartObject("meta"u8);
            writer.WriteString("versionId"u8, versionId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("lastUpdated"u8, FhirInstant.ToInstantString(now));
            if (resource["meta"] is JsonObject meta)
            {
                foreach (var (name, value) in meta)
                {
                    if (name is not ("versionId" or "lastUpdated"))
                    {
                        writer.WritePropertyName(name);
                        WriteNode(writer, value);
                    }
                }
            }
            writer.WriteEndObject();
            foreach (var (name, value) in resource)
            {
                if (name is not ("resourceType" or "id" or "meta"))
                {
                    writer.WritePropertyName(name);
                    WriteNode(writer, value);
                }
            }
            writer.WriteEndObject();
        }
        return scratch.WrittenSpan.ToArray();
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }
}
