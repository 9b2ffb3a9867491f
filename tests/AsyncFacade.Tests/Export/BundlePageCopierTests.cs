using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFacade.Server.Export;

namespace AsyncFacade.Tests.Export;

public sealed class BundlePageCopierTests
{
    private const string Patient1 = """{"resourceType":"Patient","id":"p1","name":[{"family":"Smith"}]}""";
    private const string Patient2 = """{"resourceType":"Patient","id":"p2","active":true}""";
    private const string Org = """{"resourceType":"Organization","id":"o1"}""";
    private const string Outcome = """{"resourceType":"OperationOutcome","issue":[{"severity":"warning","code":"informational"}]}""";

    [Fact]
    public async Task Match_entries_are_copied_byte_exact_one_per_line()
    {
        var page = Bundle(Entry(Patient1, "match"), Entry(Patient2, "match"));

        var (result, output) = await CopyAsync(page);

        Assert.Equal(Patient1 + "\n" + Patient2 + "\n", output);
        Assert.Equal(new BundlePageResult(2, 0, null, null), result);
    }

    [Fact]
    public async Task Include_and_outcome_entries_are_skipped_and_counted()
    {
        var page = Bundle(Entry(Patient1, "match"), Entry(Org, "include"), Entry(Outcome, "outcome"), Entry(Patient2, "match"));

        var (result, output) = await CopyAsync(page, "Patient");

        Assert.Equal(Patient1 + "\n" + Patient2 + "\n", output);
        Assert.Equal(2, result.Copied);
        Assert.Equal(2, result.Skipped);
    }

    [Fact]
    public async Task Search_after_resource_decides_the_entry()
    {
        var page = Bundle(
            $$$"""{"fullUrl":"http://x/Patient/p1","resource":{{{Patient1}}},"search":{"score":1,"mode":"match"}}""",
            $$$"""{"resource":{{{Org}}},"search":{"mode":"include"},"fullUrl":"http://x/Organization/o1"}""");

        var (result, output) = await CopyAsync(page);

        Assert.Equal(Patient1 + "\n", output);
        Assert.Equal((1, 1), (result.Copied, result.Skipped));
    }

    [Fact]
    public async Task Entry_without_search_is_a_match()
    {
        var page = Bundle($$"""{"resource":{{Patient1}}}""", $$"""{"search":null,"resource":{{Patient2}}}""");

        var (result, output) = await CopyAsync(page);

        Assert.Equal(Patient1 + "\n" + Patient2 + "\n", output);
        Assert.Equal(2, result.Copied);
    }

    [Theory]
    [InlineData(65536)]
    [InlineData(16)]
    public async Task Pretty_printed_page_becomes_compact_lines_equal_to_the_originals(int segmentSize)
    {
        var tricky = """{"resourceType":"Patient","id":"p3","text":{"div":"<div>a \"quoted\" \\ b\n c\tend</div>"},"name":[{"given":[" spaced  ", "x\\"]}]}""";
        var compact = Bundle(Entry(Patient1, "match"), Entry(tricky, "match"), Entry(Org, "include"));
        var pretty = JsonSerializer.Serialize(JsonNode.Parse(compact), new JsonSerializerOptions { WriteIndented = true }).Replace("\n", "\r\n");
        Assert.Contains("\r\n    ", pretty);

        var (result, output) = await CopyAsync(pretty, segmentSize: segmentSize);

        var lines = output.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal("", lines[2]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Patient1), JsonNode.Parse(lines[0])));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(tricky), JsonNode.Parse(lines[1])));
        Assert.DoesNotContain("\r", output);
        Assert.Equal(2, result.Copied);
    }

    [Fact]
    public async Task Pretty_printed_resource_loses_only_whitespace_outside_strings()
    {
        var resource = "{\r\n  \"resourceType\" : \"Patient\",\n\t\"id\": \"a b\\\"\\\\\",\n  \"x\": [ 1 , 2 ]\n}";
        var page = $$"""{"resourceType":"Bundle","entry":[{"resource":{{resource}}}]}""";

        for (var segmentSize = 1; segmentSize <= 40; segmentSize++)
        {
            var (_, output) = await CopyAsync(page, segmentSize: segmentSize);
            Assert.Equal("{\"resourceType\":\"Patient\",\"id\":\"a b\\\"\\\\\",\"x\":[1,2]}\n", output);
        }
    }

    [Theory]
    [InlineData("""[{"relation":"self","url":"http://up/Patient"},{"relation":"next","url":"http://up/Patient?page=2"}]""", "http://up/Patient?page=2")]
    [InlineData("""[{"url":"http://up/Patient?page=2","relation":"next"},{"relation":"self","url":"http://up/self"}]""", "http://up/Patient?page=2")]
    [InlineData("""[{"relation":"self","url":"http://up/self"}]""", null)]
    [InlineData("""[]""", null)]
    [InlineData("""[{"relation":"next","url":"http:\/\/up\/Patient?_getpages=a\u0026_count=10&x=\u00e9"}]""", "http://up/Patient?_getpages=a&_count=10&x=é")]
    public async Task Next_link_is_found_in_any_order_and_unescaped(string links, string? expected)
    {
        var page = $$"""{"resourceType":"Bundle","type":"searchset","link":{{links}},"entry":[{{Entry(Patient1, "match")}}]}""";

        var (result, _) = await CopyAsync(page);

        Assert.Equal(expected, result.NextUrl);
    }

    [Fact]
    public async Task Total_is_read_and_resourceType_may_come_last()
    {
        var page = $$"""{"type":"searchset","total":1234,"entry":[{{Entry(Patient1, "match")}}],"link":[{"relation":"next","url":"n"}],"resourceType":"Bundle"}""";

        var (result, output) = await CopyAsync(page);

        Assert.Equal(new BundlePageResult(1, 0, "n", 1234), result);
        Assert.Equal(Patient1 + "\n", output);
    }

    [Theory]
    [InlineData("""{"resourceType":"Bundle","type":"searchset","total":0}""")]
    [InlineData("""{"resourceType":"Bundle","type":"searchset","total":0,"entry":[]}""")]
    public async Task Page_without_entries_writes_nothing(string page)
    {
        var (result, output) = await CopyAsync(page);

        Assert.Equal("", output);
        Assert.Equal(new BundlePageResult(0, 0, null, 0), result);
    }

    [Fact]
    public async Task OperationOutcome_page_is_rejected_with_its_type()
    {
        var ex = await AssertRejectedAsync(Outcome);

        Assert.Equal("The upstream returned a resource of type OperationOutcome where a search Bundle was expected.", ex.Message);
    }

    [Theory]
    [InlineData("""[1,2]""")]
    [InlineData("""{"entry":[]}""")]
    [InlineData("""{"resourceType":"Bundle","entry":{}}""")]
    [InlineData("""{"resourceType":"Bundle","entry":[{"resource":[]}]}""")]
    [InlineData("""{"resourceType":"Bundle","entry":[{"search":{"mode":"match"}}]}""")]
    [InlineData("""{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"},"search":{"mode":"other"}}]}""")]
    [InlineData("""{"resourceType":"Bundle","entry":[{"resource":{"id":"no-type"}}]}""")]
    [InlineData("""{"resourceType":"Bundle","total":-1}""")]
    public async Task Page_that_is_not_a_usable_search_Bundle_is_rejected(string page)
    {
        await AssertRejectedAsync(page);
    }

    [Fact]
    public async Task Truncated_page_is_rejected_at_every_cut_and_writes_nothing()
    {
        var page = Bundle(Entry(Patient1, "match"), Entry(Patient2, "match"));
        for (var cut = 0; cut < page.Length; cut++)
        {
            var ex = await AssertRejectedAsync(page[..cut]);
            Assert.Contains("ended early", ex.Message);
        }
    }

    [Theory]
    [InlineData("""{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient",}}]}""", 72)]
    [InlineData("""{"resourceType":"Bundle"} trailing""", 26)]
    public async Task Malformed_JSON_is_rejected_with_its_byte_offset(string page, int offset)
    {
        var ex = await AssertRejectedAsync(page);

        Assert.Equal($"The upstream returned malformed JSON at byte {offset} of a search page.", ex.Message);
    }

    [Fact]
    public async Task Dropped_connection_is_rejected_and_writes_nothing()
    {
        var page = Encoding.UTF8.GetBytes(Bundle(Entry(Patient1, "match"), Entry(Patient2, "match")));
        using var source = new FailingStream(page, failAfter: 40);
        using var output = new MemoryStream();

        var ex = await Assert.ThrowsAsync<BundlePageException>(() =>
            BundlePageCopier.CopyAsync(source, output, null, TestContext.Current.CancellationToken));

        Assert.Contains("ended early", ex.Message);
        Assert.IsType<IOException>(ex.InnerException);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public async Task Match_entry_of_another_type_is_rejected_but_an_included_one_is_not()
    {
        var (result, _) = await CopyAsync(Bundle(Entry(Patient1, "match"), Entry(Org, "include")), "Patient");
        Assert.Equal(1, result.Copied);

        var ex = await AssertRejectedAsync(Bundle(Entry(Patient1, "match"), Entry(Org, "match")), "Patient");

        Assert.Equal("The upstream returned a resource of type Organization in a search for Patient.", ex.Message);
    }

    [Fact]
    public async Task Page_over_the_size_limit_is_rejected()
    {
        var page = Bundle(Entry(Patient1, "match"));

        var (result, _) = await CopyAsync(page, maxPageBytes: Encoding.UTF8.GetByteCount(page));
        Assert.Equal(1, result.Copied);

        var ex = await AssertRejectedAsync(page, maxPageBytes: Encoding.UTF8.GetByteCount(page) - 1);
        Assert.Contains("larger than the limit", ex.Message);
    }

    [Theory]
    [InlineData(1, 65536)]
    [InlineData(1, 16)]
    [InlineData(7, 32)]
    public async Task Page_delivered_in_small_reads_and_segments_gives_identical_output(int chunk, int segmentSize)
    {
        var page = LargePage(200, out var expected);

        var (result, output) = await CopyAsync(page, chunk: chunk, segmentSize: segmentSize);

        Assert.Equal(expected, output);
        Assert.Equal(200, result.Copied);
        Assert.Equal("http://up/next?a=1&b=2", result.NextUrl);
    }

    [Fact]
    public async Task Unicode_and_escaped_strings_are_preserved_byte_exact()
    {
        var resource = """{"resourceType":"Patient","id":"u","name":[{"family":"Müller-Øster 李 🚑","given":["\u00e9\"q\"\\\/\n\t\ud83d\ude91"]}]}""";
        var bytes = Encoding.UTF8.GetBytes(Bundle(Entry(resource, "match")));

        var output = await CopyBytesAsync(bytes, segmentSize: 16);

        Assert.Equal(Encoding.UTF8.GetBytes(resource + "\n"), output);
    }

    [Fact]
    public async Task Page_of_1000_entries_round_trips()
    {
        var page = LargePage(1000, out var expected);

        var (result, output) = await CopyAsync(page);

        Assert.Equal(expected, output);
        Assert.Equal(new BundlePageResult(1000, 1000, "http://up/next?a=1&b=2", 1000), result);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Resources_larger_than_the_buffers_are_copied_whole(bool pretty)
    {
        var big = $$"""{"resourceType":"Binary","id":"b","data":"{{new string('A', 300_000)}}"}""";
        var resource = pretty ? big.Replace(",", ",\n  ") : big;
        var page = Bundle(Entry(Patient1, "match"), Entry(resource, "match"), Entry(Patient2, "match"));

        var (result, output) = await CopyAsync(page);

        Assert.Equal(Patient1 + "\n" + big + "\n" + Patient2 + "\n", output);
        Assert.Equal(3, result.Copied);
    }

    [Fact]
    public async Task Cancellation_is_not_reported_as_a_bad_page()
    {
        using var source = new MemoryStream(Encoding.UTF8.GetBytes(Bundle(Entry(Patient1, "match"))));
        using var output = new MemoryStream();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            BundlePageCopier.CopyAsync(source, output, null, new CancellationToken(canceled: true)));
    }

    private static string LargePage(int count, out string expected)
    {
        var entries = new string[count * 2];
        var lines = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var resource = $$"""{"resourceType":"Observation","id":"o{{i}}","status":"final","valueString":"é✓ \"{{i}}\" \\ {{new string('x', i % 97)}}"}""";
            entries[2 * i] = Entry(resource, "match");
            entries[2 * i + 1] = Entry($$"""{"resourceType":"Patient","id":"p{{i}}"}""", "include");
            lines.Append(resource).Append('\n');
        }
        expected = lines.ToString();
        return $$"""{"resourceType":"Bundle","type":"searchset","total":{{count}},"link":[{"relation":"next","url":"http://up/next?a=1\u0026b=2"}],"entry":[{{string.Join(",", entries)}}]}""";
    }

    private static string Entry(string resource, string mode) =>
        $$"""{"fullUrl":"http://up/x","search":{"mode":"{{mode}}"},"resource":{{resource}}}""";

    private static string Bundle(params string[] entries) =>
        $$"""{"resourceType":"Bundle","type":"searchset","entry":[{{string.Join(",", entries)}}]}""";

    private static async Task<(BundlePageResult Result, string Output)> CopyAsync(
        string page, string? expectedType = null, long maxPageBytes = 64L << 20, int chunk = int.MaxValue, int segmentSize = 65536)
    {
        using var source = new ChunkedStream(Encoding.UTF8.GetBytes(page), chunk);
        using var output = new MemoryStream();
        var result = await BundlePageCopier.CopyAsync(source, output, expectedType, maxPageBytes, segmentSize, TestContext.Current.CancellationToken);
        return (result, Encoding.UTF8.GetString(output.ToArray()));
    }

    private static async Task<byte[]> CopyBytesAsync(byte[] page, int segmentSize)
    {
        using var source = new MemoryStream(page);
        using var output = new MemoryStream();
        await BundlePageCopier.CopyAsync(source, output, null, 64L << 20, segmentSize, TestContext.Current.CancellationToken);
        return output.ToArray();
    }

    private static async Task<BundlePageException> AssertRejectedAsync(string page, string? expectedType = null, long maxPageBytes = 64L << 20)
    {
        using var source = new MemoryStream(Encoding.UTF8.GetBytes(page));
        using var output = new MemoryStream();
        var ex = await Assert.ThrowsAsync<BundlePageException>(() =>
            BundlePageCopier.CopyAsync(source, output, expectedType, TestContext.Current.CancellationToken, maxPageBytes));
        Assert.Equal(0, output.Length);
        return ex;
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read, like a slow network.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }

    /// <summary>Throws an IOException once <c>failAfter</c> bytes are read, like a connection reset mid-body.</summary>
    private sealed class FailingStream(byte[] data, int failAfter) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position >= failAfter
                ? ValueTask.FromException<int>(new IOException("connection reset"))
                : base.ReadAsync(buffer[..Math.Min(failAfter - (int)Position, buffer.Length)], cancellationToken);
    }
}
