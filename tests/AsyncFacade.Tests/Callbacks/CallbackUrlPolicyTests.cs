namespace AsyncFacade.Tests.Callbacks;

/// <summary>The kick-off check of `callback-url`: syntax, the allow-list, and public addresses only when there is no list.</summary>
public sealed class CallbackUrlPolicyTests(PolicyHosts hosts) : IClassFixture<PolicyHosts>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("https://callbacks.example.org/cb")]
    [InlineData("https://CALLBACKS.Example.ORG/cb?client=1")]
    [InlineData("https://callbacks.example.org./cb")]
    [InlineData("https://a.hooks.example.net/x")]
    [InlineData("https://a.b.hooks.example.net:8443/x")]
    [InlineData("https://bücher.hooks.example.net/x")] // compared in punycode, as DNS sees it
    [InlineData("http://localhost:5000/cb")] // listed hosts may be loopback: a client developer's own machine
    [InlineData("http://10.0.0.5/cb")]
    [InlineData("http://[fd00::5]:8080/cb")]
    public async Task Listed_host_or_wildcard_sub_domain_is_accepted(string url)
    {
        Assert.Null(await hosts.WithAllowList.Policy.CheckAsync(url, Token));
    }

    [Theory]
    [InlineData("https://hooks.example.net/x")] // the wildcard's apex is not covered
    [InlineData("https://xhooks.example.net/x")]
    [InlineData("https://evil.example.org/cb")]
    [InlineData("https://callbacks.example.org.evil.com/cb")]
    [InlineData("https://93.184.215.14/cb")] // public, but not listed
    [InlineData("http://127.0.0.1/cb")] // localhost is listed by name, not its address
    [InlineData("http://10.0.0.6/cb")]
    [InlineData("http://[fe80::1%25eth0]/cb")]
    public async Task Host_not_on_the_allow_list_is_refused(string url)
    {
        var reason = await hosts.WithAllowList.Policy.CheckAsync(url, Token);

        Assert.NotNull(reason);
        Assert.Contains("allow-list", reason);
    }

    [Theory]
    [InlineData("https://93.184.215.14/cb")]
    [InlineData("http://172.15.255.255/cb")] // just below 172.16.0.0/12
    [InlineData("http://172.32.0.0/cb")] // just above it
    [InlineData("http://100.128.0.1/cb")] // just above 100.64.0.0/10
    [InlineData("https://[2606:4700:4700::1111]/cb")]
    [InlineData("https://[::ffff:93.184.215.14]/cb")]
    public async Task Without_an_allow_list_a_public_address_is_accepted(string url)
    {
        Assert.Null(await hosts.WithoutAllowList.Policy.CheckAsync(url, Token));
    }

    [Theory]
    [InlineData("http://localhost/cb")] // a name that resolves to loopback
    [InlineData("http://127.0.0.1/cb")]
    [InlineData("http://127.1.2.3:8080/cb")]
    [InlineData("http://2130706433/cb")] // 127.0.0.1 in decimal
    [InlineData("http://0x7f000001/cb")] // and in hex
    [InlineData("http://[::1]/cb")]
    [InlineData("http://10.1.2.3/cb")]
    [InlineData("http://172.16.0.1/cb")]
    [InlineData("http://172.31.255.255/cb")]
    [InlineData("http://192.168.1.10/cb")]
    [InlineData("http://169.254.169.254/latest/meta-data/")] // cloud metadata
    [InlineData("http://[fe80::1]/cb")]
    [InlineData("http://[fe80::1%25eth0]/cb")]
    [InlineData("http://[fd12:3456::1]/cb")]
    [InlineData("http://0.0.0.0/cb")]
    [InlineData("http://[::]/cb")]
    [InlineData("http://100.64.0.1/cb")]
    [InlineData("http://224.0.0.1/cb")]
    [InlineData("http://[ff02::1]/cb")]
    [InlineData("http://255.255.255.255/cb")]
    [InlineData("http://[::ffff:127.0.0.1]/cb")]
    [InlineData("http://[::ffff:169.254.169.254]/cb")]
    [InlineData("http://[::ffff:10.0.0.1]/cb")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/cb")] // NAT64 form of 169.254.169.254
    [InlineData("http://[2002:7f00:1::]/cb")] // 6to4 form of 127.0.0.1
    public async Task Without_an_allow_list_a_non_public_address_is_refused(string url)
    {
        var reason = await hosts.WithoutAllowList.Policy.CheckAsync(url, Token);

        Assert.NotNull(reason);
        Assert.Contains("non-public", reason);
    }

    [Fact]
    public async Task Without_an_allow_list_a_host_that_does_not_resolve_is_refused()
    {
        // RFC 2606 reserves .invalid: it never resolves.
        var reason = await hosts.WithoutAllowList.Policy.CheckAsync("https://callbacks.does-not-exist.invalid/cb", Token);

        Assert.NotNull(reason);
        Assert.Contains("could not be resolved", reason);
    }

    [Theory]
    [InlineData("ftp://callbacks.example.org/cb", "http or https")]
    [InlineData("file:///etc/passwd", "absolute http or https")]
    [InlineData("javascript:alert(1)", "http or https")]
    [InlineData("/relative/cb", "absolute")]
    [InlineData("callbacks.example.org/cb", "absolute")]
    [InlineData("", "empty")]
    [InlineData("https://user:password@callbacks.example.org/cb", "user information")]
    [InlineData("https://user@callbacks.example.org/cb", "user information")]
    public async Task Malformed_or_unsafe_url_is_refused_with_or_without_a_list(string url, string expected)
    {
        foreach (var host in new[] { hosts.WithAllowList, hosts.WithoutAllowList })
        {
            var reason = await host.Policy.CheckAsync(url, Token);

            Assert.NotNull(reason);
            Assert.Contains(expected, reason);
        }
    }

    [Fact]
    public async Task Url_longer_than_2048_characters_is_refused()
    {
        var url = "https://callbacks.example.org/" + new string('a', 2049 - "https://callbacks.example.org/".Length);
        var justFits = url[..2048];

        Assert.Contains("2048", await hosts.WithAllowList.Policy.CheckAsync(url, Token));
        Assert.Null(await hosts.WithAllowList.Policy.CheckAsync(justFits, Token));
    }
}
