using AsyncFacade.Server.Async;
using Microsoft.Extensions.Primitives;

namespace AsyncFacade.Tests.Async;

public sealed class PreferHeaderTests
{
    [Fact]
    public void Reads_a_comma_list_case_insensitively_with_quoted_values()
    {
        var prefer = PreferHeader.Parse("Respond-Async, ASYNC-MODE=Redirect, callback-url=\"https://cb.example.org/x?a=1,b=2\", wait=7");

        Assert.True(prefer.RespondAsync);
        Assert.Equal("redirect", prefer.AsyncMode);
        Assert.Equal("https://cb.example.org/x?a=1,b=2", prefer.CallbackUrl);
        Assert.Equal(7, prefer.Wait);
    }

    [Fact]
    public void Reads_several_headers_and_the_first_occurrence_wins()
    {
        var prefer = PreferHeader.Parse(new StringValues(["wait=3", "respond-async; foo=\"bar;baz\"", "wait=9, async-mode=bundle"]));

        Assert.True(prefer.RespondAsync);
        Assert.Equal(3, prefer.Wait);
        Assert.Equal("bundle", prefer.AsyncMode);
    }

    [Fact]
    public void Keeps_unknown_preferences_to_forward_and_ignores_them_otherwise()
    {
        var prefer = PreferHeader.Parse("respond-async, return=representation, handling=strict, x-vendor=\"a \\\"quoted\\\" b\"");

        Assert.Equal(["return=representation", "handling=strict", "x-vendor=\"a \\\"quoted\\\" b\""], prefer.Others);
    }

    [Fact]
    public void Accepts_an_unquoted_url_and_empty_list_items()
    {
        var prefer = PreferHeader.Parse(" , respond-async ,, callback-url=https://cb.example.org/hook ,");

        Assert.True(prefer.RespondAsync);
        Assert.Equal("https://cb.example.org/hook", prefer.CallbackUrl);
    }

    [Theory]
    [InlineData("wait=abc")]
    [InlineData("wait=-1")]
    [InlineData("wait=99999999999")]
    [InlineData("async-mode=stream")]
    [InlineData("async-mode")]
    [InlineData("callback-url=")]
    [InlineData("respond-async, callback-url=\"https://unterminated")]
    [InlineData("=value")]
    [InlineData("respond-async, wait=1 {")]
    public void Rejects_malformed_or_invalid_values(string header)
    {
        var error = Assert.Throws<FormatException>(() => PreferHeader.Parse(header));
        Assert.StartsWith("Prefer", error.Message);
    }

    [Fact]
    public void No_header_means_no_preferences()
    {
        Assert.Equal(PreferHeader.None with { Others = [] }, PreferHeader.Parse(StringValues.Empty) with { Others = [] });
    }
}
