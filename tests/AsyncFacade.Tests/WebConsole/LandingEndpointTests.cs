using System.Net;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.WebConsole;

/// <summary>`/` over plain HTTP: the landing page's headers, its path base, and a hostile prefix.</summary>
public sealed class LandingEndpointTests(InMemoryFacade facade) : IClassFixture<InMemoryFacade>
{
    [Fact]
    public async Task Root_is_the_landing_page_with_the_console_security_headers()
    {
        using var client = facade.CreateClient();

        using var response = await client.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("<base href=\"/\">", html);
        Assert.Contains("href=\"/fhir/metadata\"", html);
        Assert.DoesNotContain("{{", html);
    }

    [Fact]
    public async Task Behind_a_proxy_prefix_the_page_base_is_the_prefix()
    {
        using var client = facade.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-Prefix", "/facade");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("<base href=\"/facade/\">", html);
        Assert.Contains("href=\"/facade/swagger\"", html);
    }

    [Theory]
    [InlineData("/\"><script>alert(1)</script>")]
    [InlineData("/x\" onmouseover=\"alert(1)")]
    public async Task A_hostile_prefix_is_never_markup(string prefix)
    {
        using var client = facade.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Prefix", prefix);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}");
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("\" onmouseover=", html);
    }
}
