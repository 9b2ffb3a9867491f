using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream;

/// <summary>Every message names the configuration key, as an operator would type it.</summary>
internal sealed partial class SampleUpstreamOptionsValidator : IValidateOptions<SampleUpstreamOptions>
{
    public ValidateOptionsResult Validate(string? name, SampleUpstreamOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        Range(builder, "SampleUpstream:Patients", options.Patients, 0, 10_000_000);
        Range(builder, "SampleUpstream:DefaultPageSize", options.DefaultPageSize, 1, 10_000);
        Range(builder, "SampleUpstream:MaxPageSize", options.MaxPageSize, 1, 10_000);
        Range(builder, "SampleUpstream:LatencyMilliseconds", options.LatencyMilliseconds, 0, 60_000);
        if (options.DefaultPageSize > options.MaxPageSize)
        {
            builder.AddError($"SampleUpstream:DefaultPageSize ({options.DefaultPageSize}) must not exceed SampleUpstream:MaxPageSize ({options.MaxPageSize}).");
        }
        if (options.BasePath is null || !BasePathPattern().IsMatch(options.BasePath))
        {
            builder.AddError($"SampleUpstream:BasePath must start with '/' and not end with '/', got '{options.BasePath}'.");
        }
        if (!Faults.FaultPlan.TryParse(options.Faults, out _, out var faultError))
        {
            builder.AddError($"SampleUpstream:Faults is not a fault plan: {faultError}");
        }
        ValidatePaging(builder, options.Paging);
        if (!Profiles.UpstreamProfiles.IsKnown(options.Profile))
        {
            builder.AddError($"SampleUpstream:Profile must be one of {string.Join(", ", Profiles.UpstreamProfiles.Names)}, got '{options.Profile}'.");
        }
        return builder.Build();
    }

    private static void ValidatePaging(ValidateOptionsResultBuilder builder, Profiles.PagingQuirks paging)
    {
        Range(builder, "SampleUpstream:Paging:LastUpdatedBurst", paging.LastUpdatedBurst, 1, 1_000_000);
        if (paging.MaxOffset is { } maxOffset)
        {
            Range(builder, "SampleUpstream:Paging:MaxOffset", maxOffset, 0, int.MaxValue);
        }
        if (paging.PageCacheSeconds is { } seconds)
        {
            Range(builder, "SampleUpstream:Paging:PageCacheSeconds", seconds, 1, 86_400 * 7);
        }
        if (paging.OffsetParameter is not ("_offset" or "_skip"))
        {
            builder.AddError($"SampleUpstream:Paging:OffsetParameter must be _offset or _skip, got '{paging.OffsetParameter}'.");
        }
        if (!Enum.IsDefined(paging.LinkStyle) || !Enum.IsDefined(paging.Total))
        {
            builder.AddError("SampleUpstream:Paging:LinkStyle or SampleUpstream:Paging:Total is not a known value.");
        }
    }

    private static void Range(ValidateOptionsResultBuilder builder, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            builder.AddError($"{key} must be between {min} and {max}, got {value}.");
        }
    }

    [GeneratedRegex("^/[A-Za-z0-9/_-]*[A-Za-z0-9_-]$")]
    private static partial Regex BasePathPattern();
}
