namespace AsyncFacade.Client;

/// <summary>Whether to use an optional protocol feature (long polling, callbacks).</summary>
public enum FeatureUse
{
    /// <summary>When the server's CapabilityStatement advertises it.</summary>
    Auto,
    Always,
    Never,
}
