namespace AsyncFacade.Server.Export;

/// <summary>How one manifest names a job's files: the URL for each file name, and whether downloading needs a token.</summary>
internal sealed record FileLinks(Func<string, string> Url, bool RequiresAccessToken);
