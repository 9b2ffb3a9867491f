using System.Diagnostics;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Docs;

/// <summary>The runner on scratch pages: what passes, what fails and how the failure reads.</summary>
[Collection(DocExampleCollection.Name)]
public sealed class DocExampleRunnerTests(DocServers servers)
{
    [Fact]
    public async Task Variables_and_files_carry_over_between_the_blocks_of_a_page_against_the_default_server()
    {
        var run = await RunAsync("""
            ```bash
            base=http://localhost:8080/fhir
            curl -s "$base/metadata" | jq -r .fhirVersion > version.txt
            ```
            Some text.
            ```bash
            test "$(cat version.txt)" = 4.0.1
            curl -s "$base/Patient/pat-1" | jq -r '.resourceType + "/" + .id'
            curl -si "$base/metadata" | head -1
            ```
            """);

        Assert.Null(run.Failure);
        Assert.Contains("Patient/pat-1", run.Output);
        Assert.Contains("HTTP/1.1 200 OK", run.Output); // curl -si still prints what it always prints
    }

    [Fact]
    public async Task An_error_answer_fails_the_block_even_when_the_example_hides_it()
    {
        // The README's import example: -o /dev/null and a pipe into awk hid this 400.
        var run = await RunAsync("""
            ```bash
            echo first block
            ```
            ```bash
            status=$(curl -s -o /dev/null -D - -X POST 'http://localhost:8080/fhir/$import' \
              -H 'Prefer: respond-async' -H 'Content-Type: application/fhir+json' -d '{
              "resourceType": "Parameters",
              "parameter": [{"name": "inputFormat", "valueCode": "application/fhir+ndjson"}]
              }' | awk 'tolower($1)=="content-location:" {print $2}' | tr -d '\r')
            echo "never here: $status"
            ```
            """);

        Assert.NotNull(run.Failure);
        Assert.StartsWith("scratch.md:4: the example failed (exit 22) at line 5: status=$(curl -s -o /dev/null -D - -X POST 'http://localhost:8080/fhir/$import' \\", run.Failure, StringComparison.Ordinal);
        Assert.Contains("exit 22, an HTTP answer of 400 or more", run.Failure);
        Assert.DoesNotContain("never here", run.Output);
    }

    [Fact]
    public async Task A_failed_curl_fails_its_block_even_when_its_exit_status_is_ignored()
    {
        var run = await RunAsync("""
            ```bash
            curl -s http://localhost:8080/fhir/Patient/unknown > /dev/null || true
            echo "$(curl -s http://localhost:8080/fhir/Patient/unknown)" > /dev/null
            ```
            """);

        Assert.NotNull(run.Failure);
        Assert.StartsWith("scratch.md:1: the example failed (exit 86)", run.Failure, StringComparison.Ordinal);
        Assert.Contains("exit 22, an HTTP answer of 400 or more (mark the block allow-http-errors if it shows one on purpose): curl -s http://127.0.0.1:", run.Failure);
    }

    [Fact]
    public async Task Allow_http_errors_lets_a_block_show_error_answers_and_later_blocks_are_strict_again()
    {
        var allowed = await RunAsync("""
            <!-- example: allow-http-errors -->
            ```bash
            curl -si http://localhost:8080/fhir/Patient/unknown | head -1
            curl -s -X TRACE http://localhost:8080/fhir/Patient | jq -r '.issue[0].code'
            ```
            """);
        var strictAfter = await RunAsync("""
            <!-- example: allow-http-errors -->
            ```bash
            curl -s http://localhost:8080/fhir/Patient/unknown > /dev/null
            ```
            ```bash
            curl -s http://localhost:8080/fhir/Patient/unknown > /dev/null
            ```
            """);

        Assert.Null(allowed.Failure);
        Assert.Contains("HTTP/1.1 404 Not Found", allowed.Output);
        Assert.Contains("not-supported", allowed.Output);
        Assert.StartsWith("scratch.md:5: the example failed (exit 22) at line 6", strictAfter.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curl_of_a_missing_jq_field_fails_even_where_http_errors_are_allowed()
    {
        // The README's import example: .error[0].url is null when the import had no errors.
        var run = await RunAsync("""
            <!-- example: allow-http-errors -->
            ```bash
            curl -s "$(echo '{"error":[]}' | jq -r '.error[0].url')"
            ```
            """);

        Assert.NotNull(run.Failure);
        Assert.StartsWith("scratch.md:2: the example failed (exit 3) at line 3", run.Failure, StringComparison.Ordinal);
        Assert.Contains("refusing the URL 'null'", run.Failure);
    }

    [Fact]
    public async Task A_reader_that_stops_early_is_no_failure_but_an_unwritable_output_file_is()
    {
        var run = await RunAsync("""
            ```bash
            curl -s 'http://localhost:8080/fhir/Patient?_count=1000' | head -c 20; echo
            ```
            """);
        var unwritable = await RunAsync("""
            ```bash
            curl -s -o no/such/dir/file http://localhost:8080/fhir/metadata
            ```
            """);

        Assert.Null(run.Failure); // far more than a pipe's buffer: curl's write fails once head has gone
        Assert.Contains("resourceType", run.Output);
        Assert.Contains("exit 23", unwritable.Failure);
    }

    [Fact]
    public async Task Server_marker_runs_the_block_against_a_server_with_those_settings_and_rewrites_its_url()
    {
        const string Block = """
            ```bash
            status=$(curl -s -o /dev/null -D - -H 'Prefer: respond-async' 'http://localhost:8080/sim/duration=1/fhir/Patient/pat-1' \
                     | awk 'tolower($1)=="content-location:" {print $2}' | tr -d '\r')
            case "$status" in http://localhost:8080/fhir/_async/*) echo "status at $status" ;; *) exit 1 ;; esac
            ```
            """;

        var simulation = await RunAsync("<!-- example: server Simulation__Enabled=true Server__PublicBaseUrl=http://localhost:8080 -->\n" + Block);
        var plain = await RunAsync(Block);

        Assert.Null(simulation.Failure);
        Assert.Contains("status at http://127.0.0.1:", simulation.Output);
        Assert.StartsWith("scratch.md:1: the example failed (exit 22) at line 2", plain.Failure, StringComparison.Ordinal); // /sim is 404 without the mode
    }

    [Fact]
    public async Task Skipped_blocks_are_not_run_and_an_early_exit_is_a_failure()
    {
        var skipped = await RunAsync("""
            <!-- example: skip "needs a real external host" -->
            ```bash
            exit 1
            ```
            """);
        var early = await RunAsync("""
            ```bash
            exit 0
            ```
            ```bash
            echo the second block
            ```
            """);

        Assert.Null(skipped.Failure);
        Assert.StartsWith("scratch.md:1: the example failed (exit 0): it ended the shell before the page's last example", early.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_runs_as_fhir_async()
    {
        var run = await RunAsync("""
            ```bash
            fhir-async run http://localhost:8080/fhir "GET Patient/pat-1" --json | jq -r .resultStatus
            ```
            """);

        Assert.Null(run.Failure);
        Assert.Contains("200", run.Output);
    }

    [Fact]
    public async Task A_page_past_its_deadline_is_killed_with_what_it_started()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), "asyncfacade-docs-" + Guid.NewGuid().ToString("N") + ".pid");
        var watch = Stopwatch.StartNew();
        var run = await RunAsync($"""
            ```bash
            sleep 300 &
            echo $! > '{pidFile}'
            sleep 300
            ```
            """, TimeSpan.FromSeconds(3));
        watch.Stop();

        Assert.StartsWith("scratch.md:1: the example was still running after 3 s and was killed", run.Failure, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"took {watch.Elapsed}");
        var background = int.Parse(await File.ReadAllTextAsync(pidFile, TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        File.Delete(pidFile);
        await Eventually.WaitForAsync(() => Task.FromResult(Directory.Exists($"/proc/{background}")), exists => !exists, TimeSpan.FromSeconds(10), "the background sleep to be killed");
    }

    private Task<DocRun> RunAsync(string markdown, TimeSpan? timeout = null) =>
        new DocExampleRunner(servers).RunAsync(MarkdownExamples.Parse("scratch.md", markdown), timeout ?? DocExampleRunner.PageTimeout);
}
