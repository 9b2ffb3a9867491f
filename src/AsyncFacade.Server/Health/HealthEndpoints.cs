using System.Text.Json;
using AsyncFacade.Server.Upstream;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AsyncFacade.Server.Health;

/// <summary>
/// `/health/live`: the process answers (no dependency checked, so an upstream outage never gets us restarted).
/// `/health/ready`: the upstream answers, the output store takes writes (`storage`, its provider in `data.provider`)
/// and, when configured, PostgreSQL does.
/// </summary>
internal static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<UpstreamHealthCheck>("upstream", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5))
            // The check has its own deadline, to name the store when it is slow; this one is the backstop.
            .AddCheck<StorageHealthCheck>(StorageHealthCheck.Name, tags: [ReadyTag], timeout: StorageHealthCheck.Timeout * 2);
        return services;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        // GET/HEAD only: other methods get the usual 405 OperationOutcome.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
        return app;
    }

    private static Task WriteAsync(HttpContext httpContext, HealthReport report)
    {
        httpContext.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(httpContext.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => Describe(e.Value)),
        }, cancellationToken: httpContext.RequestAborted);
    }

    // `data` only where a check has some (the storage check's provider): the other checks' entries stay as they were.
    private static Dictionary<string, object?> Describe(HealthReportEntry entry)
    {
        var described = new Dictionary<string, object?> { ["status"] = entry.Status.ToString(), ["description"] = entry.Description };
        if (entry.Data.Count > 0)
        {
            described["data"] = entry.Data;
        }
        return described;
    }
}
