using System.Net;
using System.Text.Json;
using AsyncFacade.SampleUpstream.Profiles;
using AsyncFacade.Tests.Import;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Profiles;

/// <summary>
/// The facade's three paths — `$export`, `$import` and an async interaction — in front of each behaviour profile of a real
/// server (`SampleUpstream:Profile`), with more resources of one type than the profile's offset cap: exact ids, no
/// duplicates, none missing, and import counts that match what the upstream really stored. One facade per profile.
/// </summary>
public sealed class ProfileMatrixTests : IClassFixture<ProfileMatrixTests.Hosts>
{
    // 1000 patients: 12,000 Observations, more than the 10,000 offset cap of the offset-paging profiles.
    private const int Patients = 1000;
    private const int Observations = Patients * 12;

    private readonly Hosts hosts;
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    public ProfileMatrixTests(Hosts hosts) => this.hosts = hosts;

    public static TheoryData<string> AllProfiles => [.. UpstreamProfiles.Names];

    [Theory]
    [MemberData(nameof(AllProfiles))]
    public async Task Export_of_a_type_larger_than_the_offset_cap_is_exact(string profile)
    {
        using var http = hosts.For(profile).CreateRawClient();
        var status = await new AsyncClient(http).KickOffAsync("/fhir/$export?_type=Observation");
        using var done = await new AsyncClient(http).WaitAsync(status, TimeSpan.FromMinutes(2));
        var manifest = await FhirAssert.JsonAsync(done);

        var ids = new List<string>();
        foreach (var output in manifest.GetProperty("output").EnumerateArray())
        {
            var lines = (await http.GetStringAsync(new Uri(output.GetProperty("url").GetString()!).PathAndQuery, ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(output.GetProperty("count").GetInt64(), lines.Length);
            ids.AddRange(lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()!));
        }
        Assert.Equal(Observations, ids.Count);
        Assert.Equal(Enumerable.Range(0, Observations).Select(i => $"obs-{i}").Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(AllProfiles))]
    public async Task Import_reports_exactly_what_the_upstream_stored(string profile)
    {
        var facade = hosts.For(profile);
        using var http = facade.CreateRawClient();
        // UUID ids: some servers (Medplum) accept no other on PUT.
        var ids = Enumerable.Range(0, 120).Select(_ => Guid.NewGuid().ToString()).ToList();
        var url = hosts.Sources.Add($"{profile}-patients.ndjson", ids.Select(id => ImportCalls.Patient(id)));

        var (_, manifest) = await ImportCalls.ImportAsync(http, ImportCalls.Parameters(("Patient", url)));

        Assert.Empty(await ImportCalls.ErrorsAsync(http, manifest));
        Assert.Equal(ids.Count, manifest.GetProperty("output").EnumerateArray().Sum(o => o.GetProperty("count").GetInt64()));
        foreach (var id in ids.Take(10).Concat(ids.TakeLast(10)))
        {
            using var read = await http.GetAsync($"/fhir/Patient/{id}", ct);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
    }

    [Theory]
    [MemberData(nameof(AllProfiles))]
    public async Task An_async_search_returns_the_upstream_page_in_a_batch_response(string profile)
    {
        using var http = hosts.For(profile).CreateRawClient();
        var status = await new AsyncClient(http).KickOffAsync("/fhir/Observation?_count=5");
        using var done = await new AsyncClient(http).WaitAsync(status, TimeSpan.FromSeconds(30));
        var bundle = await FhirAssert.JsonAsync(done);

        Assert.Equal("batch-response", bundle.GetProperty("type").GetString());
        var entry = AsyncClient.SingleEntry(bundle);
        Assert.StartsWith("200", entry.GetProperty("response").GetProperty("status").GetString());
        Assert.Equal(5, entry.GetProperty("resource").GetProperty("entry").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(AllProfiles))]
    public async Task A_since_export_lists_the_deletion_or_says_why_it_cannot(string profile)
    {
        using var http = hosts.For(profile).CreateRawClient();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var created = await http.PostAsync("/fhir/MedicationStatement", new StringContent(
            """{"resourceType":"MedicationStatement","status":"active","medicationCodeableConcept":{"text":"x"},"subject":{"reference":"Patient/pat-1"}}""",
            System.Text.Encoding.UTF8, "application/fhir+json"), ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = created.Headers.Location!.ToString().Split("/_history")[0].Split('/')[^1];
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/fhir/MedicationStatement/{id}", ct)).StatusCode);

        var status = await new AsyncClient(http).KickOffAsync($"/fhir/$export?_type=MedicationStatement&_since={Uri.EscapeDataString(since.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"))}");
        using var done = await new AsyncClient(http).WaitAsync(status, TimeSpan.FromSeconds(60));
        var manifest = await FhirAssert.JsonAsync(done);

        var deleted = manifest.GetProperty("deleted").EnumerateArray().ToList();
        if (profile == "medplum")
        {
            // No type or system history (medplum/medplum#2670): said, not silently empty.
            Assert.Empty(deleted);
            var (diagnostics, code) = Assert.Single(await ImportCalls.ErrorsAsync(http, manifest));
            Assert.Equal("not-supported", code);
            Assert.Contains("MedicationStatement", diagnostics);
        }
        else
        {
            var file = Assert.Single(deleted);
            var line = (await http.GetStringAsync(new Uri(file.GetProperty("url").GetString()!).PathAndQuery, ct)).Trim();
            Assert.Equal($"MedicationStatement/{id}", JsonDocument.Parse(line).RootElement.GetProperty("entry")[0].GetProperty("request").GetProperty("url").GetString());
        }
    }

    /// <summary>One facade per profile (started on first use), each with its own embedded sample upstream, and one NDJSON source.</summary>
    public sealed class Hosts : IAsyncLifetime
    {
        private readonly Dictionary<string, FacadeApplication> facades = new(StringComparer.Ordinal);
        private readonly Lock gate = new();

        public NdjsonSourceHost Sources { get; private set; } = null!;

        public FacadeApplication For(string profile)
        {
            lock (gate)
            {
                if (!facades.TryGetValue(profile, out var facade))
                {
                    facades[profile] = facade = new FacadeApplication(new Dictionary<string, string?>
                    {
                        ["SampleUpstream:Profile"] = profile,
                        ["SampleUpstream:Patients"] = Patients.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["Import:AllowedHosts:0"] = "127.0.0.1",
                    }).Start();
                }
                return facade;
            }
        }

        public async ValueTask InitializeAsync() => Sources = await NdjsonSourceHost.StartAsync(TestContext.Current.CancellationToken);

        public async ValueTask DisposeAsync()
        {
            foreach (var facade in facades.Values)
            {
                await facade.DisposeAsync();
            }
            await Sources.DisposeAsync();
        }
    }
}
