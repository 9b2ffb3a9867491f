using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Docs;

/// <summary>The documentation a user reads: README.md, then every page under docs/, as paths from the repository root.</summary>
public static class DocPages
{
    public static IEnumerable<string> All()
    {
        var docs = Path.Combine(RepositoryRoot.Path, "docs");
        IEnumerable<string> pages = Directory.Exists(docs)
            ? Directory.EnumerateFiles(docs, "*.md", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(RepositoryRoot.Path, p).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
            : [];
        return pages.Prepend("README.md");
    }
}
