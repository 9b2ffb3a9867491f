using System.CommandLine;
using AsyncFacade.Client;
using AsyncFacade.Client.Auth;

namespace AsyncFacade.Cli;

/// <summary>Options every command shares: output mode, auth, pacing, extra headers.</summary>
internal sealed class CommonOptions
{
    public Option<bool> Json { get; } = new("--json") { Description = "Write one JSON summary to stdout (no live display)", Recursive = true };

    public Option<string?> ClientId { get; } = new("--client-id") { Description = "SMART Backend Services client id", Recursive = true };

    public Option<FileInfo?> Key { get; } = new("--key") { Description = "Private key file: JWK/JWKS (JSON) or PEM; RSA signs RS384, EC P-384 ES384", Recursive = true };

    public Option<string?> KeyId { get; } = new("--key-id") { Description = "kid for the assertion header (default: the JWK's kid)", Recursive = true };

    public Option<string> Scope { get; } = new("--scope") { Description = "Scopes to ask for", DefaultValueFactory = _ => "system/*.read", Recursive = true };

    public Option<string?> TokenUrl { get; } = new("--token-url") { Description = "Token endpoint (default: from .well-known/smart-configuration)", Recursive = true };

    public Option<string?> Token { get; } = new("--token") { Description = "A bearer token obtained elsewhere (instead of --client-id/--key)", Recursive = true };

    public Option<string[]> Header { get; } = new("--header", "-H") { Description = "Extra kick-off header, 'Name: value' (repeatable)", Recursive = true };

    public Option<int> Parallel { get; } = new("--parallel") { Description = "Files downloaded at once", DefaultValueFactory = _ => 4, Recursive = true };

    public Option<int> Retries { get; } = new("--max-retries") { Description = "Transient failures in a row tolerated before giving up (exit 3)", DefaultValueFactory = _ => 6, Recursive = true };

    public Option<double> PollSeconds { get; } = new("--poll-seconds") { Description = "First back-off delay when the server sends no Retry-After", DefaultValueFactory = _ => 2, Recursive = true };

    public Option<double> MaxPollSeconds { get; } = new("--max-poll-seconds") { Description = "Cap of the back-off delay", DefaultValueFactory = _ => 120, Recursive = true };

    public Option<string> LongPoll { get; } = new("--long-poll") { Description = "Prefer: wait long polling: auto (when the server offers it), always, never", DefaultValueFactory = _ => "auto", Recursive = true };

    public void AddTo(RootCommand root)
    {
        LongPoll.AcceptOnlyFromAmong("auto", "always", "never");
        foreach (var option in new Option[] { Json, ClientId, Key, KeyId, Scope, TokenUrl, Token, Header, Parallel, Retries, PollSeconds, MaxPollSeconds, LongPoll })
        {
            root.Add(option);
        }
    }

    public FhirAsyncClientOptions ClientOptions(ParseResult parse)
    {
        var options = new FhirAsyncClientOptions
        {
            MaxParallelDownloads = parse.GetValue(Parallel),
            MaxTransientErrors = parse.GetValue(Retries),
            InitialPollDelay = TimeSpan.FromSeconds(parse.GetValue(PollSeconds)),
            MaxPollDelay = TimeSpan.FromSeconds(Math.Max(parse.GetValue(PollSeconds), parse.GetValue(MaxPollSeconds))),
            LongPolling = Enum.Parse<FeatureUse>(parse.GetValue(LongPoll)!, ignoreCase: true),
            BearerToken = parse.GetValue(Token),
        };
        if (parse.GetValue(ClientId) is { } clientId)
        {
            var key = parse.GetValue(Key) ?? throw new UsageException("--client-id needs --key (the private key file).");
            options.Auth = new SmartBackendServicesOptions
            {
                ClientId = clientId,
                PrivateKey = File.Exists(key.FullName) ? File.ReadAllText(key.FullName) : throw new UsageException($"Key file {key.FullName} not found."),
                KeyId = parse.GetValue(KeyId),
                Scope = parse.GetValue(Scope)!,
                TokenEndpoint = parse.GetValue(TokenUrl) is { } url ? AbsoluteUrl(url, "--token-url") : null,
            };
        }
        else if (parse.GetValue(Key) is not null)
        {
            throw new UsageException("--key needs --client-id.");
        }
        return options;
    }

    public IReadOnlyDictionary<string, string> Headers(ParseResult parse)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in parse.GetValue(Header) ?? [])
        {
            var colon = header.IndexOf(':');
            if (colon <= 0)
            {
                throw new UsageException($"--header '{header}' must be 'Name: value'.");
            }
            headers[header[..colon].Trim()] = header[(colon + 1)..].Trim();
        }
        return headers;
    }

    public static Uri AbsoluteUrl(string text, string what) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : throw new UsageException($"{what} must be an absolute http(s) URL, not '{text}'.");
}
