using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream;

/// <summary>Rules that span several <see cref="SampleUpstreamOptions"/> fields.</summary>
internal sealed class SampleUpstreamOptionsRules : IValidateOptions<SampleUpstreamOptions>
{
    public ValidateOptionsResult Validate(string? name, SampleUpstreamOptions options) =>
        options.DefaultPageSize > options.MaxPageSize
            ? ValidateOptionsResult.Fail($"SampleUpstream:DefaultPageSize ({options.DefaultPageSize}) must not exceed SampleUpstream:MaxPageSize ({options.MaxPageSize}).")
            : ValidateOptionsResult.Success;
}
