using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace AsyncFacade.Tests.SampleUpstream;

public sealed class FirelyParseTests(DefaultUpstreamFixture fixture) : IClassFixture<DefaultUpstreamFixture>
{
    [Theory]
    [InlineData("Patient")]
    [InlineData("Encounter")]
    [InlineData("Observation")]
    [InlineData("Condition")]
    [InlineData("MedicationRequest")]
    [InlineData("Organization")]
    [InlineData("Practitioner")]
    [InlineData("Group")]
    public async Task Every_generated_resource_on_sampled_pages_parses_strictly_with_Firely(string type)
    {
        var ct = TestContext.Current.CancellationToken;
        var deserializer = new FhirJsonDeserializer(new DeserializerSettings());
        foreach (var url in new[] { $"{type}?_count=200", $"{type}?_count=200&_lastUpdated=ge2025-01-01" })
        {
            var json = await fixture.Host.Client.GetStringAsync(url, ct);
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
            Assert.True(deserializer.TryDeserializeResource(ref reader, out var resource, out var issues), string.Join("; ", issues.Select(i => i.Message)));
            var bundle = Assert.IsType<Bundle>(resource);
            Assert.NotEmpty(bundle.Entry);
            Assert.All(bundle.Entry, e => Assert.Equal(type, e.Resource!.TypeName));
            Assert.All(bundle.Entry, e => Assert.NotNull(e.Resource!.Meta!.LastUpdated));
        }
    }
}
