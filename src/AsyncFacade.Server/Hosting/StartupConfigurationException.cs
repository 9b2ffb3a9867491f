namespace AsyncFacade.Server.Hosting;

/// <summary>
/// A setting that proves wrong only when the server meets its data, e.g. a key-encryption key that does not open the
/// key ring stored in PostgreSQL. Start-up stops with its message, like an options validation failure.
/// </summary>
internal sealed class StartupConfigurationException(string message, Exception? innerException = null) : InvalidOperationException(message, innerException);
