using AsyncFacade.Server.Storage;
using AsyncFacade.Server.Storage.S3;
using AsyncFacade.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFacade.Tests.Storage;

public sealed class S3StorageOptionsValidatorTests
{
    [Theory]
    [InlineData("Bucket", "Bad_Bucket", "Storage:S3:Bucket")]
    [InlineData("Bucket", "ab", "Storage:S3:Bucket")]
    [InlineData("Bucket", "192.168.1.1", "Storage:S3:Bucket")]
    [InlineData("Prefix", "exports", "Storage:S3:Prefix")]
    [InlineData("Prefix", "/exports/", "Storage:S3:Prefix")]
    [InlineData("AccessKeyId", "AKIDONLY", "Storage:S3:AccessKeyId and Storage:S3:SecretAccessKey")]
    [InlineData("ServiceUrl", "ftp://storage.example", "Storage:S3:ServiceUrl")]
    [InlineData("Region", "Europe", "Storage:S3:Region")]
    [InlineData("ImportBuckets", "UPPER", "Storage:S3:ImportBuckets")]
    public void A_bad_setting_fails_with_a_message_naming_its_key(string property, string value, string key)
    {
        var options = new StorageOptions { Provider = StorageProvider.S3 };
        switch (property)
        {
            case "Bucket": options.S3.Bucket = value; break;
            case "Prefix": options.S3.Prefix = value; break;
            case "AccessKeyId": options.S3.AccessKeyId = value; break;
            case "ServiceUrl": options.S3.ServiceUrl = new Uri(value); break;
            case "Region": options.S3.Region = value; break;
            case "ImportBuckets": options.S3.ImportBuckets = [value]; break;
        }

        var result = new S3StorageOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(key, result.FailureMessage);
    }

    [Fact]
    public void Good_settings_and_other_providers_pass()
    {
        var validator = new S3StorageOptionsValidator();
        var good = new StorageOptions { Provider = StorageProvider.S3 };
        good.S3.Prefix = "exports/";
        good.S3.Region = "eu-west-1";
        Assert.True(validator.Validate(null, good).Succeeded);
        var local = new StorageOptions { Provider = StorageProvider.Local };
        local.S3.Bucket = "Not A Bucket";
        Assert.False(validator.Validate(null, local).Failed);
    }

    [Fact]
    public async Task The_host_refuses_to_start_on_a_bad_bucket_name()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(new() { ["Storage:S3:Bucket"] = "Not_A_Bucket" }));

        Assert.Contains("Storage:S3:Bucket 'Not_A_Bucket'", StartupValidation.Describe(failure));
    }

    [Fact]
    public async Task The_host_creates_its_bucket_at_start_and_serves_output_from_s3()
    {
        var endpoint = Environment.GetEnvironmentVariable("ASYNCFACADE_TEST_S3")
            ?? throw new InvalidOperationException("ASYNCFACADE_TEST_S3 is not set: run the S3 tests through ./test.sh, which starts s3rver.");
        var name = "af-start-" + Guid.NewGuid().ToString("N")[..16];

        await using var app = await StartAsync(new()
        {
            ["Storage:S3:Bucket"] = name,
            ["Storage:S3:ServiceUrl"] = endpoint,
            ["Storage:S3:AccessKeyId"] = S3TestBucket.AccessKey,
            ["Storage:S3:SecretAccessKey"] = S3TestBucket.AccessKey,
        });

        var store = app.Services.GetRequiredService<IOutputStore>();
        Assert.Equal("s3", store.Provider);
        await store.CheckAsync(TestContext.Current.CancellationToken); // the bucket exists: the probe could be written
    }

    /// <summary>Only the storage services, on Provider=s3, path-style, with the given settings.</summary>
    private static async Task<WebApplication> StartAsync(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "s3",
            ["Storage:S3:ForcePathStyle"] = "true",
            ["Storage:S3:ServiceUrl"] = "http://127.0.0.1:9",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddStorage();
        var app = builder.Build();
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
