using System.Text;
using AsyncFacade.Server.Upstream;

namespace AsyncFacade.Tests.Upstream;

public sealed class BaseUrlRewriterTests
{
    private const string From = "http://127.0.0.1:5000/upstream/fhir";
    private const string To = "https://facade.example.org/fhir";

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(65536)]
    public async Task Replaces_every_occurrence_even_when_reads_split_it(int chunk)
    {
        var input = new StringBuilder("{\"link\":[");
        for (var i = 0; i < 5000; i++)
        {
            input.Append($"{{\"url\":\"{From}/Patient/{i}\"}},\"é✓{i}\",");
        }
        input.Append($"\"{From}\"]}}");
        var expected = input.ToString().Replace(From, To);

        var output = await RewriteAsync(input.ToString(), chunk);

        Assert.Equal(expected, output);
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://127.0.0.1:5000/upstream/fhi")]
    [InlineData("no match here at all")]
    public async Task Leaves_text_without_a_full_match_alone(string input)
    {
        Assert.Equal(input, await RewriteAsync(input, 3));
    }

    private static async Task<string> RewriteAsync(string input, int chunk)
    {
        using var source = new ChunkedStream(Encoding.UTF8.GetBytes(input), chunk);
        using var destination = new MemoryStream();
        await new BaseUrlRewriter(From, To).CopyAsync(source, destination, TestContext.Current.CancellationToken);
        return Encoding.UTF8.GetString(destination.ToArray());
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read, like a slow network.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
