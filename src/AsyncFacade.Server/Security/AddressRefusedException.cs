namespace AsyncFacade.Server.Security;

/// <summary>Thrown from a <see cref="GuardedConnector"/> when a host resolves to an address the outbound policy refuses.</summary>
internal sealed class AddressRefusedException(string message) : Exception(message);
