using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Security;

/// <summary>One facade with the built-in issuer on and two clients: one signing RS384, one ES384.</summary>
public sealed class AuthIssuerFacade : IAsyncLifetime
{
    public const string RsaClientId = "rsa-client";
    public const string EcClientId = "ec-client";
    public const string RsaClientScopes = "system/*.read system/Observation.rs";
    public const string EcClientScopes = "system/Patient.read";

    public AuthIssuerClientKey RsaKey { get; } = AuthIssuerClientKey.Rsa();

    public AuthIssuerClientKey EcKey { get; } = AuthIssuerClientKey.Es384();

    public FacadeApplication App { get; private set; } = null!;

    /// <summary>The aud a client puts in its assertion: the token URL as it reaches the facade.</summary>
    public string TokenUrl => new Uri(App.ServerAddress, "auth/token").ToString();

    public string FhirBase => new Uri(App.ServerAddress, "fhir").ToString();

    public HttpClient CreateClient() => App.CreateRawClient();

    public ValueTask InitializeAsync()
    {
        App = new FacadeApplication(new Dictionary<string, string?>
        {
            ["Auth:Issuer:Enabled"] = "true",
            ["Auth:Issuer:Clients:0:ClientId"] = RsaClientId,
            ["Auth:Issuer:Clients:0:Jwks"] = RsaKey.PublicJwks,
            ["Auth:Issuer:Clients:0:Scopes"] = RsaClientScopes,
            ["Auth:Issuer:Clients:1:ClientId"] = EcClientId,
            ["Auth:Issuer:Clients:1:Jwks"] = EcKey.PublicJwks,
            ["Auth:Issuer:Clients:1:Scopes"] = EcClientScopes,
        }).Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
