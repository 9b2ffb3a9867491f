namespace AsyncFacade.Server.Security.Issuer;

internal enum ClientAssertionReplayCheck
{
    Remembered,
    Replayed,
    Full,
}
