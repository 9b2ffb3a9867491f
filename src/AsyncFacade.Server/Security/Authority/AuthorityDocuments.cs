using Microsoft.IdentityModel.Protocols;

namespace AsyncFacade.Server.Security.Authority;

/// <summary>
/// Reads the authority's discovery document and JWKS. Our own, not IdentityModel's HttpDocumentRetriever: that one
/// ignores the cancellation token and resends once on a 503, so an outage would hold every waiting request twice as
/// long. Redirects are not followed (discovery names its own URLs), and documents are capped in size.
/// </summary>
internal sealed class AuthorityDocuments(IHttpClientFactory clients, bool requireHttps) : IDocumentRetriever
{
    public const string ClientName = "identity-provider";

    /// <summary>A discovery document or JWKS is a few KiB; a provider that sends more is broken or hostile.</summary>
    public const int MaxDocumentBytes = 1 << 20;

    public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        if (requireHttps && !address.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            throw new IOException($"{address} is not https: the authority is https, so every document it names must be too.");
        }
        // Buffered, capped by the client's MaxResponseContentBufferSize (AuthExtensions): an oversized answer throws.
        using var response = await clients.CreateClient(ClientName).GetAsync(address, cancel);
        return response.IsSuccessStatusCode
            ? await response.Content.ReadAsStringAsync(cancel)
            : throw new IOException($"{address} answered {(int)response.StatusCode} {response.ReasonPhrase}");
    }
}
