using System.Collections.Concurrent;
using AsyncFacade.Server.Security;
using AsyncFacade.Tests.Callbacks;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AsyncFacade.Tests.Security;

/// <summary>
/// A facade with auth on (test HS256 tokens and the built-in issuer) whose every log line, at Debug and above, is recorded;
/// every token and assertion the tests make is remembered, to check none of them ever reaches a log.
/// </summary>
public sealed class SecurityAuditFacade : IAsyncLifetime
{
    public const string IssuerClient = "audit-backend";

    private readonly TestTokenIssuer issuer = new();
    private readonly ConcurrentBag<string> secrets = [];

    public LogRecorder Logs { get; } = new();

    public AuthIssuerClientKey IssuerClientKey { get; } = AuthIssuerClientKey.Rsa();

    public FacadeApplication App { get; private set; } = null!;

    /// <summary>Every token and assertion made so far, and their signatures alone.</summary>
    public IReadOnlyCollection<string> Secrets => secrets;

    public string TokenUrl => new Uri(App.ServerAddress, "auth/token").ToString();

    public string Token(string clientId, string scope, DateTime? expires = null) => Remember(issuer.Token(clientId, scope, expires));

    public string Remember(string secret)
    {
        secrets.Add(secret);
        secrets.Add(secret[(secret.LastIndexOf('.') + 1)..]);
        return secret;
    }

    public HttpClient ClientWith(string token) => TestTokenIssuer.ClientWith(App, token);

    public ValueTask InitializeAsync()
    {
        var settings = issuer.Settings();
        settings["Auth:Issuer:Enabled"] = "true";
        settings["Auth:Issuer:Clients:0:ClientId"] = IssuerClient;
        settings["Auth:Issuer:Clients:0:Jwks"] = IssuerClientKey.PublicJwks;
        settings["Auth:Issuer:Clients:0:Scopes"] = "system/*.read";
        settings["Logging:LogLevel:Default"] = "Debug";
        settings["Logging:LogLevel:Hangfire"] = "Information";
        App = new FacadeApplication(settings, configureServices: services => services.AddSingleton<ILoggerProvider>(Logs)).Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();

    /// <summary>The audit events (category <see cref="SecurityAudit.Category"/>) with <paramref name="eventId"/> that match.</summary>
    public List<RecordedLog> Audit(int eventId, Func<RecordedLog, bool> match) =>
        [.. Logs.Entries.Where(e => e.Category == SecurityAudit.Category && e.EventId == eventId && match(e))];
}
