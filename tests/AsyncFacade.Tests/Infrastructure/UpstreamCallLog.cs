using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AsyncFacade.Tests.Infrastructure;

/// <summary>
/// Records every request a test upstream receives, on the test's own clock: what the facade's jobs really sent, how
/// often, and whether a cancel cut them short. Attach it with SampleUpstreamHost's configure hook.
/// </summary>
public sealed class UpstreamCallLog(Stopwatch clock)
{
    private readonly List<UpstreamCall> calls = [];

    public IReadOnlyList<UpstreamCall> Calls
    {
        get
        {
            lock (calls)
            {
                return [.. calls];
            }
        }
    }

    public void Attach(WebApplication app) => app.Use(async (HttpContext context, RequestDelegate next) =>
    {
        int index;
        lock (calls)
        {
            index = calls.Count;
            calls.Add(new UpstreamCall(Uri.UnescapeDataString(context.Request.Path + context.Request.QueryString), clock.Elapsed, null, false));
        }
        try
        {
            await next(context);
        }
        finally
        {
            lock (calls)
            {
                calls[index] = calls[index] with { Ended = clock.Elapsed, Aborted = context.RequestAborted.IsCancellationRequested };
            }
        }
    });
}
