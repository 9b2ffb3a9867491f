using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Hosting;

/// <summary>Validation rules whose messages name the configuration key, as an operator would type it.</summary>
internal static class OptionsRules
{
    public static ValidateOptionsResultBuilder Range(this ValidateOptionsResultBuilder builder, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            builder.AddError($"{key} must be between {min} and {max}, got {value}.");
        }
        return builder;
    }

    public static ValidateOptionsResultBuilder Range(this ValidateOptionsResultBuilder builder, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            builder.AddError($"{key} must be between {min:c} and {max:c}, got {value:c}.");
        }
        return builder;
    }

    public static ValidateOptionsResultBuilder AbsoluteHttpUrl(this ValidateOptionsResultBuilder builder, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value) && !Hosting.AbsoluteHttpUrl.IsValid(value))
        {
            builder.AddError($"{key} must be an absolute http(s) URL without query, got '{value}'.");
        }
        return builder;
    }
}
