using System.Text;
using System.Text.Json;
using AsyncFacade.SampleUpstream.Generation;
using AsyncFacade.SampleUpstream.Search;
using AsyncFacade.SampleUpstream.Store;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>
/// Writes Bundle JSON entry by entry. Generated resources are written straight from the generator and stored
/// ones are copied as raw bytes, so no entry is ever materialised as an object. The <c>entry</c> array is
/// opened with the first entry because FHIR JSON forbids empty arrays.
/// </summary>
internal sealed class BundleWriter(Utf8JsonWriter writer, string baseUrl)
{
    private readonly byte[] baseUrlUtf8 = Encoding.UTF8.GetBytes(baseUrl + "/");
    private bool entriesOpen;

    public Utf8JsonWriter Writer => writer;

    public void WriteStart(string bundleType, long? total, string? selfUrl, string? nextUrl)
    {
        writer.WriteStartObject();
        writer.WriteString("resourceType"u8, "Bundle"u8);
        writer.WriteString("type"u8, bundleType);
        if (total is { } value)
        {
            writer.WriteNumber("total"u8, value);
        }
        if (selfUrl is not null)
        {
            writer.WriteStartArray("link"u8);
            WriteLink("self", selfUrl);
            if (nextUrl is not null)
            {
                WriteLink("next", nextUrl);
            }
            writer.WriteEndArray();
        }
    }

    public void WriteEnd()
    {
        if (entriesOpen)
        {
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    /// <summary>A searchset entry: fullUrl, resource, search.mode.</summary>
    public void WriteMatch(PageItem item)
    {
        StartEntry();
        WriteFullUrl(item);
        writer.WritePropertyName("resource"u8);
        WriteResource(writer, item);
        writer.WriteStartObject("search"u8);
        writer.WriteString("mode"u8, "match"u8);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>A history entry: the resource (unless deleted) with the request that made it and its response.</summary>
    public void WriteHistory(ResourceVersion version)
    {
        StartEntry();
        WriteFullUrl(PageItem.Of(version));
        if (version.Json is not null)
        {
            writer.WritePropertyName("resource"u8);
            writer.WriteRawValue(version.Json, skipInputValidation: true);
        }
        writer.WriteStartObject("request"u8);
        writer.WriteString("method"u8, version.Method);
        writer.WriteString("url"u8, version.Method == "POST" ? version.ResourceType : $"{version.ResourceType}/{version.Id}");
        writer.WriteEndObject();
        writer.WriteStartObject("response"u8);
        writer.WriteString("status"u8, version.IsDeleted ? "204" : version.IsCreation ? "201" : "200");
        writer.WriteString("etag"u8, ETag.Of(version.VersionId));
        writer.WriteString("lastModified"u8, FhirInstant.ToInstantString(version.LastUpdatedMs));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Opens a batch-response entry; the caller writes resource/response and closes it.</summary>
    public void StartEntry()
    {
        if (!entriesOpen)
        {
            writer.WriteStartArray("entry"u8);
            entriesOpen = true;
        }
        writer.WriteStartObject();
    }

    public string FullUrl(string resourceType, string id) => $"{Encoding.UTF8.GetString(baseUrlUtf8)}{resourceType}/{id}";

    public static void WriteResource(Utf8JsonWriter writer, PageItem item)
    {
        if (item.Stored is { Json: { } json })
        {
            writer.WriteRawValue(json, skipInputValidation: true);
        }
        else
        {
            item.Generated!.Write(writer, item.Index);
        }
    }

    private void WriteFullUrl(PageItem item)
    {
        var type = item.ResourceType;
        Span<byte> buffer = stackalloc byte[512];
        var needed = baseUrlUtf8.Length + type.Length + 1 + 64;
        if (needed > buffer.Length)
        {
            var id = item.Stored?.Id ?? item.Generated!.FormatId(item.Index);
            writer.WriteString("fullUrl"u8, FullUrl(type, id));
            return;
        }
        baseUrlUtf8.CopyTo(buffer);
        var length = baseUrlUtf8.Length;
        length += Encoding.ASCII.GetBytes(type, buffer[length..]);
        buffer[length++] = (byte)'/';
        length += item.Stored is { } stored
            ? Encoding.UTF8.GetBytes(stored.Id, buffer[length..])
            : item.Generated!.FormatId(item.Index, buffer[length..]);
        writer.WriteString("fullUrl"u8, buffer[..length]);
    }

    private void WriteLink(string relation, string url)
    {
        writer.WriteStartObject();
        writer.WriteString("relation"u8, relation);
        writer.WriteString("url"u8, url);
        writer.WriteEndObject();
    }
}
