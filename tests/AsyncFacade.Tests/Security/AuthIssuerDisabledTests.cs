using System.Net;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Security;

/// <summary>Off by default: the default facade maps neither endpoint.</summary>
[Collection(InMemoryCollection.Name)]
public sealed class AuthIssuerDisabledTests(InMemoryFacade fixture)
{
    [Theory]
    [InlineData("POST", "/auth/token")]
    [InlineData("GET", "/.well-known/jwks.json")]
    public async Task Disabled_issuer_maps_no_endpoint(string method, string path)
    {
        using var response = await fixture.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
