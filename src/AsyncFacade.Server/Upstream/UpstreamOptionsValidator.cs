using AsyncFacade.Server.Hosting;
using AsyncFacade.Server.Upstream.Credentials;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Upstream;

internal sealed class UpstreamOptionsValidator : IValidateOptions<UpstreamOptions>
{
    public ValidateOptionsResult Validate(string? name, UpstreamOptions options) => new ValidateOptionsResultBuilder()
        .AbsoluteHttpUrl("Upstream:BaseUrl", options.BaseUrl)
        .Range("Upstream:TimeoutSeconds", options.TimeoutSeconds, 1, 3600)
        .Range("Upstream:ConnectTimeoutSeconds", options.ConnectTimeoutSeconds, 1, 60)
        .Range("Upstream:MaxRetries", options.MaxRetries, 0, 20)
        .Range("Upstream:RetryBudgetSeconds", options.RetryBudgetSeconds, 0, 86400)
        .Range("Upstream:RetryDelayMilliseconds", options.RetryDelayMilliseconds, 0, 60_000)
        .Range("Upstream:MaxConcurrency", options.MaxConcurrency, 1, 1024)
        .UpstreamAuth(options.Auth, options.BearerToken)
        .Build();
}
