namespace AsyncFacade.Server.Callbacks;

public sealed class CallbackOptions
{
    public const string Section = "Callbacks";

    /// <summary>
    /// Exact host names or IP literals, or "*.example.org" wildcards (sub-domains only, not the apex). When set, only
    /// these hosts may receive callbacks, and they may be private (operators list what they trust). When empty, any
    /// host whose addresses are all public may.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>HMAC-SHA256 key (UTF-8). When set, each callback carries `X-Signature: sha256=&lt;lowercase hex&gt;` over its body.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Deadline for one callback POST, connect included; the callback is dropped after it (polling is primary).</summary>
    public int TimeoutSeconds { get; set; } = 10;
}
