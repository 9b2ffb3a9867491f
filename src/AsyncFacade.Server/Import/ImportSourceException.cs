namespace AsyncFacade.Server.Import;

/// <summary>An input could not be read (refused, unreachable, not found, gone): the input fails, the import goes on.</summary>
internal sealed class ImportSourceException(string message) : Exception(message);
