using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AsyncFacade.SampleUpstream;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Docs;

/// <summary>
/// The README's sample-data table is what users copy ids from: every count, id range and group in it must be what
/// the default server (default patients and seed) really serves.
/// </summary>
public sealed class SampleDataTableTests
{
    [Fact]
    public async Task The_readme_table_matches_the_default_sample_data()
    {
        var rows = TableRows();
        Assert.Equal(8, rows.Count);
        var defaults = new SampleUpstreamOptions();
        await using var app = new FacadeApplication(new Dictionary<string, string?>
        {
            ["SampleUpstream:Patients"] = defaults.Patients.ToString(CultureInfo.InvariantCulture),
            ["SampleUpstream:Seed"] = defaults.Seed.ToString(CultureInfo.InvariantCulture),
        }).Start();
        using var client = app.CreateRawClient();
        var ct = TestContext.Current.CancellationToken;

        foreach (var (type, count, ids) in rows)
        {
            var total = (await client.GetFromJsonAsync<JsonElement>($"/upstream/fhir/{type}?_summary=count", ct)).GetProperty("total").GetInt64();
            Assert.True(total == count, $"README says {count} {type}, the sample upstream has {total}");
            // The first and the last id the table names exist; one past the last does not.
            var first = ids[0];
            var last = ids[^1];
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/upstream/fhir/{type}/{first}", ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/upstream/fhir/{type}/{last}", ct)).StatusCode);
            var prefix = last[..(last.LastIndexOf('-') + 1)];
            var next = long.Parse(last[prefix.Length..], CultureInfo.InvariantCulture) + 1;
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/upstream/fhir/{type}/{prefix}{next}", ct)).StatusCode);
        }

        // The groups as the table describes them: (first member, stride, members).
        foreach (var (id, firstMember, stride, members) in new[] { ("grp-0", 0, 10, 100), ("grp-1", 3, 25, 40), ("grp-2", 7, 100, 10) })
        {
            var group = await client.GetFromJsonAsync<JsonElement>($"/upstream/fhir/Group/{id}", ct);
            var references = group.GetProperty("member").EnumerateArray().Select(m => m.GetProperty("entity").GetProperty("reference").GetString()).ToList();
            Assert.Equal(members, references.Count);
            Assert.Equal(Enumerable.Range(0, members).Select(k => $"Patient/pat-{firstMember + (k * stride)}"), references);
        }
        var groupRow = File.ReadAllLines(Readme()).Single(l => l.StartsWith("| `Group`", StringComparison.Ordinal));
        Assert.Contains("every 10th patient from `pat-0` (100 members), every 25th from `pat-3` (40), every 100th from `pat-7` (10)", groupRow);
    }

    private static string Readme() => Path.Combine(RepositoryRoot.Path, "README.md");

    /// <summary>`| `Type` | 1,000 | `pat-0` … `pat-999` | … |` rows of the table under "## Sample data".</summary>
    private static List<(string Type, long Count, string[] Ids)> TableRows()
    {
        var lines = File.ReadAllLines(Readme());
        var start = Array.IndexOf(lines, "## Sample data");
        Assert.True(start >= 0, "README.md has no '## Sample data' section");
        return lines.Skip(start).SkipWhile(l => !l.StartsWith("| type", StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Select(cells => (
                cells[1].Trim('`'),
                long.Parse(cells[2], NumberStyles.AllowThousands, CultureInfo.InvariantCulture),
                cells[3].Split(['…', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(id => id.Trim('`')).ToArray()))
            .ToList();
    }
}
