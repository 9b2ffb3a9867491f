namespace AsyncFacade.Server.Export;

/// <summary>
/// The upstream page cannot be exported: not a Bundle, malformed or truncated JSON, too large, or an entry of the wrong type.
/// The message goes into the export's error file, so it is client-facing and carries no internals; the inner
/// exception (when there is one) is for our logs only.
/// </summary>
public sealed class BundlePageException : Exception
{
    public BundlePageException(string message)
        : base(message)
    {
    }

    public BundlePageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// The page was cut off or garbled on its way (a dropped connection, a stalled or truncated body, a proxy's error
    /// page): fetching it again may well work. A page too large or of the wrong shape will fail the same way again.
    /// </summary>
    public bool Transient { get; init; }
}
