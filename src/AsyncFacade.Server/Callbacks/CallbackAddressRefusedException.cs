namespace AsyncFacade.Server.Callbacks;

/// <summary>Thrown from the connect callback when a host resolves to an address callbacks may not reach.</summary>
internal sealed class CallbackAddressRefusedException(string message) : Exception(message);
