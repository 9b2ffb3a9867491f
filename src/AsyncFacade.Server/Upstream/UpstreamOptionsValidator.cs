using AsyncFacade.Server.Hosting;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Upstream;

[OptionsValidator]
internal sealed partial class UpstreamOptionsDataAnnotations : IValidateOptions<UpstreamOptions>;

internal sealed class UpstreamOptionsValidator : IValidateOptions<UpstreamOptions>
{
    private readonly UpstreamOptionsDataAnnotations annotations = new();

    public ValidateOptionsResult Validate(string? name, UpstreamOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(annotations.Validate(name, options));
        if (!string.IsNullOrEmpty(options.BaseUrl) && !AbsoluteHttpUrl.IsValid(options.BaseUrl))
        {
            builder.AddError($"Upstream:BaseUrl must be an absolute http(s) URL without query, got '{options.BaseUrl}'.");
        }
        return builder.Build();
    }
}
