namespace AsyncFacade.Server.Export;

/// <summary>One `_typeFilter` entry split at its first `?`: ("Observation", "status=final&amp;category=laboratory").</summary>
public sealed record ExportTypeFilter(string Type, string Query);
