using AsyncFacade.Server.Hosting;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Async;

internal sealed class AsyncOptionsValidator : IValidateOptions<AsyncOptions>
{
    public ValidateOptionsResult Validate(string? name, AsyncOptions options) => new ValidateOptionsResultBuilder()
        .Range("Async:ResultTtl", options.ResultTtl, TimeSpan.FromMinutes(1), TimeSpan.FromDays(90))
        .Build();
}
