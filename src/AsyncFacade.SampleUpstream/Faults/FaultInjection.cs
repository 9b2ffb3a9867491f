using System.Collections.Concurrent;
using System.Globalization;
using AsyncFacade.SampleUpstream.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream.Faults;

/// <summary>
/// Makes the sample upstream misbehave the way real servers and networks do, so the facade's (and any client's)
/// retry and error handling can be tested against real HTTP: the request's `X-Upstream-Fault` header, or else
/// `SampleUpstream:Faults`, picks the faults. The first fault that hits a request decides what happens to it.
/// </summary>
internal sealed class FaultInjection(IOptions<SampleUpstreamOptions> options, ILogger<FaultInjection> logger) : IEndpointFilter
{
    // Attempts per plan, fault and URL for `n=`; cleared when it grows large, so a long-running server stays bounded.
    private const int MaxTrackedUrls = 100_000;
    private readonly ConcurrentDictionary<string, int> attempts = new(StringComparer.Ordinal);
    private readonly FaultPlan? configured = FaultPlan.TryParse(options.Value.Faults, out var plan, out _) ? plan : null;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var httpContext = context.HttpContext;
        var request = httpContext.Request;
        var plan = configured;
        if (request.Headers[FaultPlan.Header] is { Count: > 0 } header)
        {
            if (!FaultPlan.TryParse(header.ToString(), out plan, out var error))
            {
                return new OperationOutcomeResult(FhirError.Invalid($"{FaultPlan.Header}: {error}"));
            }
        }
        if (plan is null || Pick(plan, request) is not { } fault)
        {
            return await next(context);
        }

        SampleUpstreamLog.FaultInjected(logger, fault.Kind.ToString(), request.Method, request.Path);
        switch (fault.Kind)
        {
            case FaultKind.TooManyRequests:
                return Failure(httpContext, fault, StatusCodes.Status429TooManyRequests, "throttled");
            case FaultKind.InternalError:
                return Failure(httpContext, fault, StatusCodes.Status500InternalServerError, "exception");
            case FaultKind.Unavailable:
                return Failure(httpContext, fault, StatusCodes.Status503ServiceUnavailable, "transient");
            case FaultKind.Slow:
                await Task.Delay(fault.DelayMilliseconds, httpContext.RequestAborted);
                return await next(context);
            case FaultKind.InvalidJson:
                return Results.Text("""{"resourceType":"Bundle","type":"searchset","entry":[<html><body>502 Bad Gateway</body></html>""", FhirMediaType.Json);
            default:
                httpContext.Response.Body = new CutOffStream(httpContext.Response.Body, fault.Bytes,
                    fault.Kind == FaultKind.Drop ? httpContext.Abort : null);
                return await next(context);
        }
    }

    private UpstreamFault? Pick(FaultPlan plan, HttpRequest request)
    {
        for (var i = 0; i < plan.Faults.Count; i++)
        {
            var fault = plan.Faults[i];
            if (fault.PathContains is { } part && request.Path.Value?.Contains(part, StringComparison.Ordinal) != true)
            {
                continue;
            }
            if (fault.FirstAttempts is { } first)
            {
                if (attempts.Count > MaxTrackedUrls)
                {
                    attempts.Clear();
                }
                var key = string.Create(CultureInfo.InvariantCulture, $"{plan.Text}|{i}|{request.Method} {request.Path}{request.QueryString}");
                if (attempts.AddOrUpdate(key, 1, (_, n) => n + 1) > first)
                {
                    continue;
                }
            }
            if (fault.Probability >= 1 || Random.Shared.NextDouble() < fault.Probability)
            {
                return fault;
            }
        }
        return null;
    }

    private static OperationOutcomeResult Failure(HttpContext httpContext, UpstreamFault fault, int status, string code)
    {
        if (fault.RetryAfterSeconds is { } seconds && status != StatusCodes.Status500InternalServerError)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
        return new OperationOutcomeResult(new FhirError(status, code, $"Simulated upstream fault ({FaultPlan.Header}): {status}."));
    }

    /// <summary>Passes the first bytes of the body on, then drops the connection or quietly swallows the rest.</summary>
    private sealed class CutOffStream(Stream inner, long limit, Action? abort) : Stream
    {
        private long written;
        private Action? abort = abort;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var room = (int)Math.Min(buffer.Length, Math.Max(0, limit - written));
            if (room > 0)
            {
                await inner.WriteAsync(buffer[..room], cancellationToken);
                written += room;
            }
            if (room < buffer.Length && abort is not null)
            {
                // Send what was let through first, and give it a moment on the wire, so the client sees a body that stops midway.
                await inner.FlushAsync(cancellationToken);
                await Task.Delay(100, cancellationToken);
                abort();
                abort = null;
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
