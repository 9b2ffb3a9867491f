using System.Net;

namespace AsyncFacade.Tests.SampleUpstream;

/// <summary>
/// `Prefer: handling` as FHIR R4 defines it (search.html#errors, http.html#prefer): strict refuses an unknown search
/// parameter; lenient ignores it and leaves it out of the self and next links, which list the parameters actually used.
/// </summary>
public sealed class HandlingTests(DefaultUpstreamFixture fixture) : IClassFixture<DefaultUpstreamFixture>
{
    private HttpClient Client => fixture.Host.Client;

    [Fact]
    public async Task Lenient_handling_leaves_an_unknown_parameter_out_of_the_self_and_next_links()
    {
        var page = await BundleJson.GetAsync(Client, "Observation?code=8867-4&_count=5", TestContext.Current.CancellationToken);

        Assert.Equal(5, BundleJson.Ids(page).Count); // ignored: every Observation matches
        Assert.DoesNotContain("code=", BundleJson.Link(page, "self"));
        Assert.Contains("_count=5", BundleJson.Link(page, "self"));
        Assert.DoesNotContain("code=", BundleJson.Link(page, "next"));
    }

    [Fact]
    public async Task Strict_handling_refuses_an_unknown_parameter()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "Observation?code=8867-4");
        request.Headers.TryAddWithoutValidation("Prefer", "handling=strict");

        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Applied_parameters_stay_in_the_self_link()
    {
        var page = await BundleJson.GetAsync(Client, "Observation?_id=obs-1,obs-2", TestContext.Current.CancellationToken);

        Assert.Contains("_id=obs-1%2Cobs-2", BundleJson.Link(page, "self"));
    }
}
