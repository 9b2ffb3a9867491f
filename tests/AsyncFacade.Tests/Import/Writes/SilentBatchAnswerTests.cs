using static AsyncFacade.Tests.Import.ImportCalls;

namespace AsyncFacade.Tests.Import.Writes;

/// <summary>
/// `$import` in front of upstreams whose batch answers do not say per entry what happened (issue 14 case 2: Medplum's
/// `200` + FHIR JSON + empty body to `Prefer: return=minimal`; entries with a location or an outcome only; no entries):
/// the manifest counts exactly what the upstream stored (read back from its store here), and the error report lists
/// exactly the lines it refused, with its own reason.
/// </summary>
[Collection(WritesCollection.Name)]
public sealed class SilentBatchAnswerTests(WritesFixture fixture)
{
    private readonly string prefix = "w" + Guid.NewGuid().ToString("N")[..8];

    [Theory]
    [InlineData("Profile=medplum", "batch")]
    [InlineData("Profile=medplum", "transaction")]
    [InlineData("Writes:EmptyMinimalResponse=true", "batch")]
    [InlineData("Writes:LocationOnlyEntries=true", "batch")]
    [InlineData("Writes:OutcomeOnlyEntries=true", "batch")]
    [InlineData("Writes:NoEntries=true", "transaction")]
    [InlineData("Profile=hapi;Writes:EmptyMinimalResponse=true", "batch")]
    [InlineData("Profile=hapi;Writes:LocationOnlyEntries=true", "transaction")]
    public async Task An_import_through_an_upstream_whose_batch_answers_say_little_reports_exactly_what_it_wrote(string quirks, string bundleType)
    {
        await using var target = await QuirkyTarget.StartAsync(Settings(quirks), bundleType);
        var ids = Enumerable.Range(0, 45).Select(_ => Guid.NewGuid().ToString()).ToList();
        var url = fixture.Sources.Add(prefix + ".ndjson", ids.Select((id, i) => Patient(id, $$""","birthDate":"1970-01-{{i % 28 + 1:D2}}" """)));

        var (_, manifest) = await ImportAsync(target.Http, Parameters(("Patient", url)));

        Assert.Equal(45, manifest.GetProperty("output")[0].GetProperty("count").GetInt64());
        Assert.Empty(await ErrorsAsync(target.Http, manifest));
        for (var i = 0; i < ids.Count; i++)
        {
            var stored = await target.ReadAsync("Patient", ids[i]);
            Assert.NotNull(stored);
            Assert.Equal($"1970-01-{i % 28 + 1:D2}", stored.Value.GetProperty("birthDate").GetString());
        }
    }

    [Theory]
    // Sent again asking for outcomes: Medplum then answers per entry, with its bare status code.
    [InlineData("Profile=medplum", "batch", "the upstream answered 400: Invalid id")]
    // A transaction with a refused entry fails whole (that answer is not empty): split until the entry stands alone.
    [InlineData("Profile=medplum", "transaction", "the upstream rejected the transaction (400 Bad Request): Transaction entry 0 failed, nothing was applied: Invalid id")]
    // Refusals emptied too: the entry, alone after the splits, is sent once more asking for the outcome.
    [InlineData("Profile=medplum;Writes:EmptyMinimalErrorResponse=true", "transaction", "the upstream rejected the transaction (400 Bad Request): Transaction entry 0 failed, nothing was applied: Invalid id")]
    // Batch answers that never give a reason: the lines not stored are sent once more one by one.
    [InlineData("Writes:UuidIdsOnly=true;Writes:LocationOnlyEntries=true", "batch", "the upstream answered 400 Bad Request: Invalid id")]
    [InlineData("Writes:UuidIdsOnly=true;Writes:NoEntries=true", "batch", "the upstream answered 400 Bad Request: Invalid id")]
    // The entry's own outcome is the reason; it has no status to quote.
    [InlineData("Writes:UuidIdsOnly=true;Writes:OutcomeOnlyEntries=true", "batch", "the upstream's entry has no status: Invalid id")]
    [InlineData("Profile=hapi;Writes:UuidIdsOnly=true;Writes:EmptyMinimalResponse=true", "batch", "the upstream answered 400 Bad Request: Invalid id")]
    public async Task Lines_the_upstream_refuses_in_a_silent_answer_are_the_only_error_lines_and_carry_its_reason(string quirks, string bundleType, string reason)
    {
        await using var target = await QuirkyTarget.StartAsync(Settings(quirks), bundleType);
        var ids = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid().ToString()).ToList();
        int[] refused = [3, 21, 22, 49];
        foreach (var i in refused)
        {
            ids[i] = $"{prefix}-{i}"; // a valid FHIR id, but not a UUID
        }
        var url = fixture.Sources.Add(prefix + ".ndjson", ids.Select(id => Patient(id)));

        var (_, manifest) = await ImportAsync(target.Http, Parameters(("Patient", url)));

        Assert.Equal(46, manifest.GetProperty("output")[0].GetProperty("count").GetInt64());
        var errors = await ErrorsAsync(target.Http, manifest);
        Assert.Equal(refused.Select(i => i + 1L), errors.Select(e => LineOf(e.Diagnostics)));
        Assert.Equal(refused.Select(i => $"line {i + 1}: Patient/{prefix}-{i}: {reason}"), errors.Select(e => e.Diagnostics[e.Diagnostics.IndexOf(" line ")..].Trim()));
        Assert.All(errors, e => Assert.Equal("invalid", e.Code));
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal(!refused.Contains(i), await target.ReadAsync("Patient", ids[i]) is not null);
        }
    }

    [Fact]
    public async Task A_medplum_transaction_over_its_update_cap_is_split_and_every_line_counted()
    {
        // 120 PUTs per transaction: Medplum refuses more than 50 updates in one, and answers the halves with empty bodies.
        await using var target = await QuirkyTarget.StartAsync(Settings("Profile=medplum"), "transaction", batchSize: 120);
        var ids = Enumerable.Range(0, 130).Select(_ => Guid.NewGuid().ToString()).ToList();
        var url = fixture.Sources.Add(prefix + ".ndjson", ids.Select(id => Patient(id)));

        var (_, manifest) = await ImportAsync(target.Http, Parameters(("Patient", url)));

        Assert.Equal(130, manifest.GetProperty("output")[0].GetProperty("count").GetInt64());
        Assert.Empty(await ErrorsAsync(target.Http, manifest));
        foreach (var id in ids)
        {
            Assert.NotNull(await target.ReadAsync("Patient", id));
        }
    }

    [Fact]
    public async Task An_unchanged_import_again_through_a_server_that_keeps_the_version_counts_every_line_as_written()
    {
        await using var target = await QuirkyTarget.StartAsync(Settings("Profile=medplum"));
        var ids = Enumerable.Range(0, 30).Select(_ => Guid.NewGuid().ToString()).ToList();
        var url = fixture.Sources.Add(prefix + ".ndjson", ids.Select(id => Patient(id)));

        var (_, first) = await ImportAsync(target.Http, Parameters(("Patient", url)));
        var (_, again) = await ImportAsync(target.Http, Parameters(("Patient", url)));

        Assert.Equal(30, first.GetProperty("output")[0].GetProperty("count").GetInt64());
        Assert.Equal(30, again.GetProperty("output")[0].GetProperty("count").GetInt64());
        Assert.Empty(await ErrorsAsync(target.Http, again));
        foreach (var id in ids)
        {
            // No new version: a no-op update, yet the line was written (the stored content is what was sent).
            Assert.Equal("1", (await target.ReadAsync("Patient", id))!.Value.GetProperty("meta").GetProperty("versionId").GetString());
        }
    }

    [Fact]
    public async Task Creates_are_sent_asking_for_outcomes_so_an_empty_minimal_answer_cannot_hide_them()
    {
        await using var target = await QuirkyTarget.StartAsync(Settings("Profile=medplum"));
        var lines = Enumerable.Range(0, 30).Select(i => i % 3 == 0
            ? $$"""{"resourceType":"Patient","active":true,"birthDate":"1980-02-{{i + 1:D2}}"}"""
            : Patient(Guid.NewGuid().ToString()));
        var url = fixture.Sources.Add(prefix + ".ndjson", lines);

        var (_, manifest) = await ImportAsync(target.Http, Parameters("InitialLoad", ("Patient", url)));

        Assert.Equal(30, manifest.GetProperty("output")[0].GetProperty("count").GetInt64());
        Assert.Empty(await ErrorsAsync(target.Http, manifest));
    }

    [Fact]
    public async Task Creates_under_an_answer_that_never_says_are_reported_incomplete_and_never_counted()
    {
        await using var target = await QuirkyTarget.StartAsync(Settings("Writes:NoEntries=true"));
        var lines = Enumerable.Range(0, 30).Select(i => i % 3 == 0
            ? """{"resourceType":"Patient","active":true}"""
            : Patient(Guid.NewGuid().ToString()));
        var url = fixture.Sources.Add(prefix + ".ndjson", lines);

        var (_, manifest) = await ImportAsync(target.Http, Parameters("InitialLoad", ("Patient", url)));

        // The 20 lines with ids are read back and counted; whether the 10 creates happened cannot be established.
        Assert.Equal(20, manifest.GetProperty("output")[0].GetProperty("count").GetInt64());
        var errors = await ErrorsAsync(target.Http, manifest);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 3L * i + 1), errors.Select(e => LineOf(e.Diagnostics)));
        Assert.All(errors, e => Assert.Equal("incomplete", e.Code));
        Assert.All(errors, e => Assert.Contains("Patient/(new): the upstream's answer is a Bundle without entries; a line without an id cannot be read back", e.Diagnostics));
    }

    [Fact]
    public async Task Resources_overwritten_under_a_silent_answer_are_counted_and_hold_what_the_lines_sent()
    {
        // Stored beforehand with other content: reading back must find the line's content, not take "found" for "written".
        await using var target = await QuirkyTarget.StartAsync(Settings("Writes:EmptyMinimalResponse=true;Writes:LocationOnlyEntries=true"));
        var id = Guid.NewGuid().ToString();
        var ids = Enumerable.Range(0, 9).Select(_ => Guid.NewGuid().ToString()).Append(id).ToList();
        using (var put = await target.Upstream.Client.PutAsync($"Patient/{id}",
            new StringContent(Patient(id, ""","gender":"other" """), System.Text.Encoding.UTF8, "application/fhir+json"), TestContext.Current.CancellationToken))
        {
            put.EnsureSuccessStatusCode();
        }
        var url = fixture.Sources.Add(prefix + ".ndjson", ids.Select(i => Patient(i, ""","gender":"female" """)));

        var (_, manifest) = await ImportAsync(target.Http, Parameters(("Patient", url)));

        Assert.Equal(10, manifest.GetProperty("output")[0].GetProperty("count").GetInt64());
        Assert.Empty(await ErrorsAsync(target.Http, manifest));
        foreach (var i in ids)
        {
            Assert.Equal("female", (await target.ReadAsync("Patient", i))!.Value.GetProperty("gender").GetString());
        }
    }

    private static IEnumerable<(string, string)> Settings(string quirks) =>
        quirks.Split(';').Select(s => s.Split('=')).Select(p => ("SampleUpstream:" + p[0], p[1]));

    private static long LineOf(string diagnostics) => long.Parse(diagnostics.Split(" line ")[1].Split(':')[0]);
}
