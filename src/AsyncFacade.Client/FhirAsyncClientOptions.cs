using AsyncFacade.Client.Auth;

namespace AsyncFacade.Client;

/// <summary>How <see cref="FhirAsyncClient"/> paces polls, retries, downloads and authenticates.</summary>
public sealed class FhirAsyncClientOptions
{
    /// <summary>First back-off delay when the server gives no Retry-After (the Bulk Data IG suggests starting at a few seconds).</summary>
    public TimeSpan InitialPollDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Cap of the back-off delay (Retry-After from the server is honoured as given).</summary>
    public TimeSpan MaxPollDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Each back-off delay is this factor times the previous one.</summary>
    public double BackoffMultiplier { get; set; } = 2;

    /// <summary>Random spread of each back-off delay (0.2 = ±20%), so many clients do not poll in lock step.</summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>Transient failures in a row (status polls, kick-off, one file) tolerated before giving up with <see cref="FailureKind.Transient"/>.</summary>
    public int MaxTransientErrors { get; set; } = 6;

    /// <summary>`Prefer: wait=N` long polling: Auto uses it when the server's CapabilityStatement says it supports it.</summary>
    public FeatureUse LongPolling { get; set; } = FeatureUse.Auto;

    /// <summary>N of `Prefer: wait=N`.</summary>
    public int LongPollSeconds { get; set; } = 30;

    /// <summary>Receives completion callbacks; with it (and a server that offers them) kick-offs ask for `callback-url`.</summary>
    public CallbackListener? Callbacks { get; set; }

    /// <summary>Whether to ask for callbacks: Auto when the server's CapabilityStatement says it sends them.</summary>
    public FeatureUse UseCallbacks { get; set; } = FeatureUse.Auto;

    /// <summary>While a callback is expected, polls are a safety net only: at least this far apart.</summary>
    public TimeSpan CallbackPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Files downloaded at once.</summary>
    public int MaxParallelDownloads { get; set; } = 4;

    /// <summary>Timeout of one status, kick-off or cancel request (downloads stream as long as they take).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>A bearer token obtained elsewhere, sent as it is (ignored when <see cref="Auth"/> is set).</summary>
    public string? BearerToken { get; set; }

    /// <summary>SMART Backend Services credentials; null: requests carry no token (or <see cref="BearerToken"/>).</summary>
    public SmartBackendServicesOptions? Auth { get; set; }

    /// <summary>Clock for Retry-After dates, Expires and token lifetimes.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (InitialPollDelay < TimeSpan.Zero || MaxPollDelay < InitialPollDelay)
        {
            throw new ArgumentException("InitialPollDelay must be ≥ 0 and ≤ MaxPollDelay.");
        }
        if (BackoffMultiplier < 1 || Jitter is < 0 or > 1 || MaxTransientErrors < 0 || LongPollSeconds < 1 || MaxParallelDownloads < 1)
        {
            throw new ArgumentException("BackoffMultiplier must be ≥ 1, Jitter 0–1, MaxTransientErrors ≥ 0, LongPollSeconds and MaxParallelDownloads ≥ 1.");
        }
    }
}
