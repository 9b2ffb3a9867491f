using System.IO.Compression;
using AsyncFacade.Server.Storage;
using Microsoft.Net.Http.Headers;

namespace AsyncFacade.Server.Export;

/// <summary>Streams a stored NDJSON file gzip-compressed (NDJSON compresses ~10×), never buffering it.</summary>
internal sealed class GzipFileResult(StoredObject file) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        await using (file)
        {
            var response = httpContext.Response;
            response.ContentType = "application/fhir+ndjson";
            response.Headers.ContentEncoding = "gzip";
            response.Headers.Vary = HeaderNames.AcceptEncoding;
            response.Headers.LastModified = file.LastModified.ToString("R");
            // Fastest: the CPU is better spent exporting; gzip's default level gains little on NDJSON.
            await using var gzip = new GZipStream(response.Body, CompressionLevel.Fastest, leaveOpen: true);
            await file.Content.CopyToAsync(gzip, httpContext.RequestAborted);
        }
    }
}
