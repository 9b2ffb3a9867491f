using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Docs;

/// <summary>The documentation a user reads: the README and every page under docs/.</summary>
public static class DocPages
{
    public static IEnumerable<string> All()
    {
        yield return Path.Combine(RepositoryRoot.Path, "README.md");
        var docs = Path.Combine(RepositoryRoot.Path, "docs");
        foreach (var page in Directory.EnumerateFiles(docs, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            yield return page;
        }
    }
}
