using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>Streams a collected page as a Bundle to the response body, flushing as it goes.</summary>
internal sealed class SearchPageResult(SearchPage page, string baseUrl) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var cancellationToken = httpContext.RequestAborted;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = FhirMediaType.Json;
        try
        {
            using var body = new StreamingJsonBody(response);
            var bundle = new BundleWriter(body.Writer, baseUrl);
            bundle.WriteStart(page.BundleType, page.Total, page.SelfUrl, page.NextUrl);
            foreach (var item in page.Matches)
            {
                bundle.WriteMatch(item);
                await body.FlushIfFullAsync(cancellationToken);
            }
            foreach (var version in page.History)
            {
                bundle.WriteHistory(version);
                await body.FlushIfFullAsync(cancellationToken);
            }
            bundle.WriteEnd();
            await body.FlushAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var logger = httpContext.RequestServices.GetRequiredService<ILogger<SearchPageResult>>();
            SampleUpstreamLog.ClientAborted(logger, httpContext.Request.Path);
        }
    }
}
