namespace AsyncFacade.Cli;

/// <summary>A bad command line that the parser could not catch (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
