using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Metadata;

[Collection(InMemoryCollection.Name)]
public sealed class MetadataTests(InMemoryFacade fixture)
{
    [Fact]
    public async Task CapabilityStatement_is_the_upstreams_with_the_facades_additions()
    {
        var client = fixture.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        var facade = await FhirAssert.JsonAsync(await client.GetAsync("/fhir/metadata", ct));
        var upstream = await FhirAssert.JsonAsync(await client.GetAsync("/upstream/fhir/metadata", ct));

        Assert.Equal("AsyncFacade", facade.GetProperty("software").GetProperty("name").GetString());
        Assert.Equal(client.BaseAddress + "fhir", facade.GetProperty("implementation").GetProperty("url").GetString());
        var rest = facade.GetProperty("rest")[0];
        Assert.Contains("Prefer: respond-async", rest.GetProperty("documentation").GetString());
        Assert.Equal(upstream.GetProperty("rest")[0].GetProperty("resource").GetArrayLength(), rest.GetProperty("resource").GetArrayLength());
        Assert.Equal(upstream.GetProperty("fhirVersion").GetString(), facade.GetProperty("fhirVersion").GetString());
    }

    [Fact]
    public async Task CapabilityStatement_says_which_output_store_is_used_and_whether_links_are_signed()
    {
        var client = fixture.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        var facade = await FhirAssert.JsonAsync(await client.GetAsync("/fhir/metadata", ct));

        var storage = Assert.Single(facade.GetProperty("extension").EnumerateArray(),
            e => e.GetProperty("url").GetString() == AsyncFacade.Server.Metadata.StorageCapabilities.ExtensionUrl);
        var parts = storage.GetProperty("extension").EnumerateArray().ToDictionary(e => e.GetProperty("url").GetString()!);
        Assert.Equal("local", parts["provider"].GetProperty("valueCode").GetString());
        Assert.False(parts["signedLinks"].GetProperty("valueBoolean").GetBoolean());
        Assert.Contains("Output storage: local.", facade.GetProperty("rest")[0].GetProperty("documentation").GetString());
    }
}
