using AsyncFacade.SampleUpstream;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Upstream;

/// <summary>
/// Where the upstream lives. A configured Upstream:BaseUrl, or else the embedded sample upstream, which is
/// reached over real loopback HTTP on this host's own listening address (so every mode exercises the same
/// client, forwarder and URL rewriting). The address is only known once Kestrel has bound, hence lazy.
/// </summary>
internal sealed class UpstreamEndpoint(IOptions<UpstreamOptions> options, IOptions<SampleUpstreamOptions> sample, IServer server)
{
    private string? embeddedBase;

    public bool IsEmbedded => string.IsNullOrEmpty(options.Value.BaseUrl);

    /// <summary>The base URL without a trailing slash, e.g. http://127.0.0.1:8080/upstream/fhir.</summary>
    public string BaseUrl => IsEmbedded ? embeddedBase ??= ResolveEmbedded() : options.Value.BaseUrl!.TrimEnd('/');

    public Uri Resolve(string relative) => new(BaseUrl + "/" + relative.TrimStart('/'));

    private string ResolveEmbedded()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? addresses?.FirstOrDefault()
            ?? throw new InvalidOperationException("The embedded sample upstream needs a listening HTTP address; set Upstream:BaseUrl or run on Kestrel.");
        var uri = new UriBuilder(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        // Call our own loopback directly: wildcard and 'localhost' bindings all accept 127.0.0.1 / [::1].
        uri.Host = uri.Host switch
        {
            "localhost" or "0.0.0.0" => "127.0.0.1",
            "[::]" or "::" => "[::1]",
            var host => host,
        };
        return uri.Uri.GetLeftPart(UriPartial.Authority) + sample.Value.BasePath;
    }
}
