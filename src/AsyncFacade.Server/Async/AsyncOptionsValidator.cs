using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Async;

internal sealed class AsyncOptionsValidator : IValidateOptions<AsyncOptions>
{
    public ValidateOptionsResult Validate(string? name, AsyncOptions options) =>
        options.ResultTtl < TimeSpan.FromMinutes(1) || options.ResultTtl > TimeSpan.FromDays(90)
            ? ValidateOptionsResult.Fail($"Async:ResultTtl must be between 00:01:00 and 90.00:00:00, got '{options.ResultTtl}'.")
            : ValidateOptionsResult.Success;
}
