using AsyncFacade.Server.Hosting;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Async;

internal sealed class AsyncOptionsValidator : IValidateOptions<AsyncOptions>
{
    public ValidateOptionsResult Validate(string? name, AsyncOptions options) => new ValidateOptionsResultBuilder()
        .Range("Async:RetryAfterSeconds", options.RetryAfterSeconds, 1, 3600)
        .Range("Async:MaxRetryAfterSeconds", options.MaxRetryAfterSeconds, options.RetryAfterSeconds, 3600)
        .Range("Async:MaxWaitSeconds", options.MaxWaitSeconds, 0, 300)
        // Seconds are allowed so client developers can test expiry; production wants hours.
        .Range("Async:ResultTtl", options.ResultTtl, TimeSpan.FromSeconds(1), TimeSpan.FromDays(90))
        .Range("Async:MaxActiveJobsPerOwner", options.MaxActiveJobsPerOwner, 0, 1_000_000)
        .Build();
}
