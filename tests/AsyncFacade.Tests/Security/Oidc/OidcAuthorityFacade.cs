using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Security.Oidc;

/// <summary>A facade whose `Auth:Authority` is a tenant of the real provider, and a second tenant it does not trust.</summary>
public sealed class OidcAuthorityFacade : IAsyncLifetime
{
    public const string Audience = "https://facade.test/fhir";

    public OidcTenant Tenant { get; private set; } = null!;

    public OidcTenant Stranger { get; private set; } = null!;

    public OidcClient Client { get; private set; } = null!;

    public OidcClient StrangerClient { get; private set; } = null!;

    public FacadeApplication App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Tenant = await OidcProvider.CreateTenantAsync(Audience, ct);
        Stranger = await OidcProvider.CreateTenantAsync(Audience, ct);
        Client = await Tenant.RegisterClientAsync(ct);
        StrangerClient = await Stranger.RegisterClientAsync(ct);
        App = new FacadeApplication(Tenant.FacadeSettings(Audience)).Start();
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Tenant.DisposeAsync();
        await Stranger.DisposeAsync();
    }
}
