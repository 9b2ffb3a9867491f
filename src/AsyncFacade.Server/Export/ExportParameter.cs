namespace AsyncFacade.Server.Export;

/// <summary>One occurrence of a kick-off parameter: a query pair, or a `Parameters.parameter` entry reduced to text.</summary>
internal sealed record ExportParameter(string Name, string Value);
