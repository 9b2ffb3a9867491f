using System.Net;
using System.Text.Json;

namespace AsyncFacade.Tests.SampleUpstream;

public sealed class SearchTests(DefaultUpstreamFixture fixture) : IClassFixture<DefaultUpstreamFixture>
{
    private const long Observations = DefaultUpstreamFixture.Patients * 12;
    private static readonly long WindowStart = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly long WindowEnd = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private HttpClient Client => fixture.Host.Client;

    [Fact]
    public async Task Count_above_the_maximum_is_silently_capped_and_the_default_page_size_applies()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(1000, BundleJson.Ids(await BundleJson.GetAsync(Client, "Observation?_count=5000", ct)).Count);
        var page = await BundleJson.GetAsync(Client, "Observation", ct);
        Assert.Equal(50, BundleJson.Ids(page).Count);
        Assert.False(page.TryGetProperty("total", out _));
    }

    [Fact]
    public async Task Count_zero_returns_the_total_and_no_entries()
    {
        var page = await BundleJson.GetAsync(Client, "Observation?_count=0", TestContext.Current.CancellationToken);
        Assert.Equal(Observations, page.GetProperty("total").GetInt64());
        Assert.False(page.TryGetProperty("entry", out _));
        Assert.Null(BundleJson.Link(page, "next"));
    }

    [Fact]
    public async Task Id_search_returns_exactly_the_listed_existing_resources()
    {
        var page = await BundleJson.GetAsync(Client, "Observation?_id=obs-17,obs-5,nope,obs-99999999&_total=accurate", TestContext.Current.CancellationToken);
        Assert.Equal(["obs-5", "obs-17"], BundleJson.Ids(page));
        Assert.Equal(2, page.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("ge2025-01-01")]
    [InlineData("lt2024-07-01T12:30:00Z")]
    [InlineData("gt2025-02")]
    [InlineData("le2024-03-15")]
    [InlineData("2024-06")]
    [InlineData("ge2024-05-01T00:00:00.000+02:00")]
    [InlineData("ge2030-01-01")]
    public async Task LastUpdated_ranges_match_the_index_arithmetic(string value)
    {
        var (from, to) = Interval(value);
        var expected = FirstIndexAtOrAfter(to) - FirstIndexAtOrAfter(from);
        var page = await BundleJson.GetAsync(Client, $"Observation?_lastUpdated={Uri.EscapeDataString(value)}&_total=accurate&_count=5", TestContext.Current.CancellationToken);

        Assert.Equal(expected, page.GetProperty("total").GetInt64());
        foreach (var resource in BundleJson.Resources(page))
        {
            var lastUpdated = DateTimeOffset.Parse(resource.GetProperty("meta").GetProperty("lastUpdated").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
            Assert.InRange(lastUpdated, from, to - 1);
        }
    }

    [Fact]
    public async Task Two_lastUpdated_bounds_intersect()
    {
        var page = await BundleJson.GetAsync(Client, "Observation?_lastUpdated=ge2024-06-01&_lastUpdated=lt2024-07-01&_total=accurate&_count=0", TestContext.Current.CancellationToken);
        var month = await BundleJson.GetAsync(Client, "Observation?_lastUpdated=2024-06&_total=accurate&_count=0", TestContext.Current.CancellationToken);
        Assert.Equal(month.GetProperty("total").GetInt64(), page.GetProperty("total").GetInt64());
        Assert.True(page.GetProperty("total").GetInt64() > 0);
    }

    [Theory]
    [InlineData("patient=pat-7")]
    [InlineData("patient=Patient/pat-7")]
    [InlineData("subject=Patient/pat-7")]
    [InlineData("subject=pat-7&patient=pat-7")]
    public async Task Patient_and_subject_search_return_that_patients_observations(string query)
    {
        var page = await BundleJson.GetAsync(Client, $"Observation?{query}&_count=100", TestContext.Current.CancellationToken);
        var resources = BundleJson.Resources(page);
        Assert.Equal(12, resources.Count);
        Assert.All(resources, r => Assert.Equal("Patient/pat-7", BundleJson.Reference(r, "subject")));
    }

    [Fact]
    public async Task Patient_search_for_conflicting_or_foreign_subjects_is_empty()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Empty(BundleJson.Ids(await BundleJson.GetAsync(Client, "Observation?patient=pat-7&subject=pat-8", ct)));
        Assert.Empty(BundleJson.Ids(await BundleJson.GetAsync(Client, "Condition?subject=Group/grp-0", ct)));
        Assert.Equal(2, BundleJson.Ids(await BundleJson.GetAsync(Client, "MedicationRequest?patient=pat-999", ct)).Count);
    }

    [Fact]
    public async Task Search_pages_by_cursor_and_visits_every_observation_exactly_once()
    {
        var pages = await BundleJson.AllPagesAsync(Client, "Observation?_count=1000&_sort=_lastUpdated", TestContext.Current.CancellationToken);
        var ids = pages.SelectMany(BundleJson.Ids).ToList();

        Assert.Equal(12, pages.Count);
        Assert.Equal(Observations, ids.Count);
        Assert.Equal(Observations, ids.Distinct().Count());
        Assert.All(pages.Skip(1), p => Assert.Contains("_cursor=", BundleJson.Link(p, "self")));
        Assert.DoesNotContain("_offset", BundleJson.Link(pages[0], "next"));
        Assert.StartsWith(fixture.Host.BaseUrl + "/Observation?", BundleJson.Link(pages[0], "next"));
    }

    [Fact]
    public async Task Entries_have_absolute_fullUrls_and_match_search_mode()
    {
        var page = await BundleJson.GetAsync(Client, "Encounter?_count=3", TestContext.Current.CancellationToken);
        foreach (var entry in page.GetProperty("entry").EnumerateArray())
        {
            var id = entry.GetProperty("resource").GetProperty("id").GetString();
            Assert.Equal($"{fixture.Host.BaseUrl}/Encounter/{id}", entry.GetProperty("fullUrl").GetString());
            Assert.Equal("match", entry.GetProperty("search").GetProperty("mode").GetString());
        }
        Assert.Equal("searchset", page.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Post_search_with_a_form_body_matches_get_search()
    {
        var ct = TestContext.Current.CancellationToken;
        using var form = new FormUrlEncodedContent([new("patient", "pat-3"), new("_count", "5")]);
        using var response = await Client.PostAsync("Observation/_search", form, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var posted = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
        var fetched = await BundleJson.GetAsync(Client, "Observation?patient=pat-3&_count=5", ct);
        Assert.Equal(BundleJson.Ids(fetched), BundleJson.Ids(posted));
        var rest = await BundleJson.AllPagesAsync(Client, BundleJson.Link(posted, "next")!, ct);
        Assert.Equal(7, rest.Sum(p => BundleJson.Ids(p).Count));
    }

    [Theory]
    [InlineData("Observation?_count=-1", "invalid")]
    [InlineData("Observation?_count=abc", "invalid")]
    [InlineData("Observation?_count=", "invalid")]
    [InlineData("Observation?_lastUpdated=2024-13-01", "invalid")]
    [InlineData("Observation?_lastUpdated=yesterday", "invalid")]
    [InlineData("Observation?_lastUpdated=ne2024", "not-supported")]
    [InlineData("Observation?_lastUpdated=ap2024", "not-supported")]
    [InlineData("Observation?_sort=-_lastUpdated", "not-supported")]
    [InlineData("Observation?_total=maybe", "invalid")]
    [InlineData("Observation?_id=", "invalid")]
    [InlineData("Observation/_history?_since=notadate", "invalid")]
    public async Task Malformed_search_values_are_400_with_an_OperationOutcome(string url, string code)
    {
        var outcome = await BundleJson.GetAsync(Client, url, TestContext.Current.CancellationToken, HttpStatusCode.BadRequest);
        Assert.Equal(code, BundleJson.IssueCode(outcome));
    }

    [Fact]
    public async Task Unknown_parameters_are_ignored_unless_handling_is_strict()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(2, BundleJson.Ids(await BundleJson.GetAsync(Client, "Patient?_count=2&bogus=1&name:exact=x", ct)).Count);

        using var request = new HttpRequestMessage(HttpMethod.Get, "Patient?_count=2&bogus=1");
        request.Headers.Add("Prefer", "handling=strict");
        using var response = await Client.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("not-supported", BundleJson.IssueCode(JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement));
    }

    [Fact]
    public async Task Tampered_or_foreign_cursors_are_rejected_with_400()
    {
        var ct = TestContext.Current.CancellationToken;
        var next = BundleJson.Link(await BundleJson.GetAsync(Client, "Observation?_count=10", ct), "next")!;
        var cursor = next[(next.IndexOf("_cursor=", StringComparison.Ordinal) + 8)..];
        var flipped = (cursor[10] == 'A' ? 'B' : 'A') + cursor[11..];
        var tampered = next.Replace(cursor, cursor[..10] + flipped, StringComparison.Ordinal);

        Assert.Equal("invalid", BundleJson.IssueCode(await BundleJson.GetAsync(Client, tampered, ct, HttpStatusCode.BadRequest)));
        Assert.Equal("invalid", BundleJson.IssueCode(await BundleJson.GetAsync(Client, next.Replace("/Observation?", "/Condition?", StringComparison.Ordinal), ct, HttpStatusCode.BadRequest)));
        Assert.Equal("invalid", BundleJson.IssueCode(await BundleJson.GetAsync(Client, "Observation?_cursor=not-a-cursor", ct, HttpStatusCode.BadRequest)));
    }

    [Fact]
    public async Task Everything_returns_only_that_patients_compartment_across_pages()
    {
        var pages = await BundleJson.AllPagesAsync(Client, "Patient/pat-4/$everything?_count=7", TestContext.Current.CancellationToken);
        var resources = pages.SelectMany(BundleJson.Resources).ToList();

        Assert.Equal(20, resources.Count);
        Assert.Equal("pat-4", resources[0].GetProperty("id").GetString());
        Assert.All(resources.Skip(1), r => Assert.Equal("Patient/pat-4", BundleJson.Reference(r, "subject")));
        var types = resources.GroupBy(r => r.GetProperty("resourceType").GetString()).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["Patient"] = 1, ["Encounter"] = 3, ["Observation"] = 12, ["Condition"] = 2, ["MedicationRequest"] = 2 }, types);
    }

    [Fact]
    public async Task Everything_honours_type_and_since_and_404s_for_unknown_patients()
    {
        var ct = TestContext.Current.CancellationToken;
        var observations = await BundleJson.GetAsync(Client, "Patient/pat-4/$everything?_type=Observation,Condition&_count=100", ct);
        Assert.Equal(14, BundleJson.Ids(observations).Count);
        var none = await BundleJson.GetAsync(Client, "Patient/pat-4/$everything?_since=2025-01-01T00:00:00Z", ct);
        Assert.Empty(BundleJson.Ids(none));
        await BundleJson.GetAsync(Client, "Patient/pat-5000/$everything", ct, HttpStatusCode.NotFound);
    }

    private static (long From, long To) Interval(string value)
    {
        var prefix = char.IsLetter(value[0]) ? value[..2] : "eq";
        var date = char.IsLetter(value[0]) ? value[2..] : value;
        var (start, end) = date.Length switch
        {
            7 => (DateTimeOffset.Parse(date + "-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(date + "-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).AddMonths(1)),
            10 => (DateTimeOffset.Parse(date + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(date + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).AddDays(1)),
            _ => (DateTimeOffset.Parse(date, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(date, System.Globalization.CultureInfo.InvariantCulture).AddMilliseconds(date.Contains('.') ? 1 : 1000)),
        };
        long s = start.ToUnixTimeMilliseconds(), e = end.ToUnixTimeMilliseconds();
        return prefix switch
        {
            "ge" => (s, long.MaxValue),
            "gt" => (e, long.MaxValue),
            "lt" => (long.MinValue, s),
            "le" => (long.MinValue, e),
            _ => (s, e),
        };
    }

    /// <summary>Index arithmetic of the generator: lastUpdated(i) = start + floor(i × window / N), so the first i at or after t is ceil((t − start) × N / window).</summary>
    private static long FirstIndexAtOrAfter(long t)
    {
        if (t <= WindowStart)
        {
            return 0;
        }
        if (t >= WindowEnd)
        {
            return Observations;
        }
        var numerator = (Int128)(t - WindowStart) * Observations;
        var window = WindowEnd - WindowStart;
        return (long)((numerator + window - 1) / window);
    }
}
