namespace AsyncFacade.Server.Security;

internal enum ClientAssertionReplayCheck
{
    Remembered,
    Replayed,
    Full,
}
