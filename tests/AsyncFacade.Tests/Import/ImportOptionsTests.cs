using AsyncFacade.Server.Import;

namespace AsyncFacade.Tests.Import;

/// <summary>Import settings are checked at start-up; each message names the key (the process-level check is in ConfigurationValidationTests).</summary>
public sealed class ImportOptionsTests
{
    [Theory]
    [InlineData("Import:BatchSize", nameof(ImportOptions.BatchSize), 0)]
    [InlineData("Import:BatchSize", nameof(ImportOptions.BatchSize), 10_001)]
    [InlineData("Import:MaxParallelism", nameof(ImportOptions.MaxParallelism), 0)]
    [InlineData("Import:MaxLineBytes", nameof(ImportOptions.MaxLineBytes), 10)]
    [InlineData("Import:FetchTimeoutSeconds", nameof(ImportOptions.FetchTimeoutSeconds), 0)]
    public void Out_of_range_numbers_are_refused_naming_the_key(string key, string property, int value)
    {
        var options = new ImportOptions();
        typeof(ImportOptions).GetProperty(property)!.SetValue(options, value);

        Assert.Contains(key, Validate(options));
    }

    [Fact]
    public void Bad_bundle_type_hosts_tokens_and_directory_are_refused_naming_the_key()
    {
        var failures = Validate(new ImportOptions
        {
            BundleType = "collection",
            AllowedHosts = ["data.example.org", "https://bad/"],
            BearerTokens = new() { ["other.example.org"] = "t", ["data.example.org"] = " " },
            FileDirectory = "relative/dir",
        });

        Assert.Contains("Import:BundleType", failures);
        Assert.Contains("Import:AllowedHosts:1", failures);
        Assert.Contains("Import:BearerTokens:other.example.org", failures);
        Assert.Contains("Import:BearerTokens:data.example.org is empty", failures);
        Assert.Contains("Import:FileDirectory", failures);
        Assert.DoesNotContain("Import:BearerTokens:data.example.org must", failures);
    }

    [Fact]
    public void Defaults_are_valid()
    {
        Assert.True(new ImportOptionsValidator().Validate(null, new ImportOptions()).Succeeded);
    }

    private static string Validate(ImportOptions options) =>
        string.Join("\n", new ImportOptionsValidator().Validate(null, options).Failures ?? []);
}
