namespace AsyncFacade.Server.Export;

/// <summary>Why a kick-off was rejected. <see cref="Message"/> goes to the client and names the parameter.</summary>
public sealed record ExportRequestError(string Parameter, string Message);
