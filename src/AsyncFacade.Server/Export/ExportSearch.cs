namespace AsyncFacade.Server.Export;

/// <summary>One upstream search that feeds a type's files: the first page's URL relative to the upstream base.</summary>
internal sealed record ExportSearch(string Type, string FirstPage);
