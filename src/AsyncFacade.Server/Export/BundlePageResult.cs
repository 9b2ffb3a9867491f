namespace AsyncFacade.Server.Export;

/// <summary>One searchset page's outcome: entries written, entries left out (include/outcome), the next page's URL, and Bundle.total.</summary>
public sealed record BundlePageResult(int Copied, int Skipped, string? NextUrl, int? Total);
