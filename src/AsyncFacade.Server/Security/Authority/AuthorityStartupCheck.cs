using Microsoft.Extensions.Options;
using AsyncFacade.Server.Security.Issuer;

namespace AsyncFacade.Server.Security.Authority;

/// <summary>
/// Reads the authority's discovery document once at start-up: the keys are cached before the first request, and a
/// provider that answers without a `token_endpoint` (which SMART discovery must advertise) stops start-up unless
/// `Auth:TokenEndpoint` names one. A provider that does not answer does not stop it: the facade starts, answers 503
/// to requests with a token, and reads the document again until it answers.
/// </summary>
internal sealed class AuthorityStartupCheck(IOptions<AuthOptions> options, AuthorityConfiguration authority, ILogger<AuthorityStartupCheck> logger)
    : IHostedService
{
    /// <summary>Start-up waits no longer than this for a provider that does not answer.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || authority.Authority is null)
        {
            return;
        }
        Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration discovered;
        try
        {
            discovered = await authority.GetConfigurationAsync(cancellationToken).WaitAsync(Patience, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            AuthorityLog.UnreachableAtStart(logger, authority.Authority, ex.Message);
            return;
        }
        if (string.IsNullOrWhiteSpace(discovered.TokenEndpoint) && string.IsNullOrWhiteSpace(settings.TokenEndpoint))
        {
            throw new OptionsValidationException(AuthOptions.Section, typeof(AuthOptions),
                [$"Auth:Authority's discovery document ({authority.MetadataAddress}) has no token_endpoint, which SMART discovery must advertise: " +
                 "set Auth:TokenEndpoint to the token endpoint clients should use."]);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
