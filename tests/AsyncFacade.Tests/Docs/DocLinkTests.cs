using System.Text.RegularExpressions;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Docs;

/// <summary>
/// The README and the docs/ pages link to each other by file and heading: a page renamed or a heading reworded must
/// not leave a reader at a dead link. Links are checked the way GitHub resolves them (relative to the page; anchors
/// are the heading's slug).
/// </summary>
public sealed partial class DocLinkTests
{
    public static TheoryData<string> Pages() => [.. DocPages.All()];

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_relative_link_names_an_existing_file_and_heading(string page)
    {
        var path = Path.Combine(RepositoryRoot.Path, page);
        var broken = new List<string>();
        foreach (var (line, target) in Links(File.ReadAllLines(path)))
        {
            if (target.StartsWith("http://", StringComparison.Ordinal) || target.StartsWith("https://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }
            var hash = target.IndexOf('#');
            var file = hash < 0 ? target : target[..hash];
            var anchor = hash < 0 ? null : target[(hash + 1)..];
            var linked = file.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, file));
            if (!File.Exists(linked) && !Directory.Exists(linked))
            {
                broken.Add($"{page}:{line}: {target} (no such file)");
            }
            else if (anchor is not null && File.Exists(linked) && !Anchors(linked).Contains(anchor))
            {
                broken.Add($"{page}:{line}: {target} (no heading '{anchor}' in {Path.GetFileName(linked)})");
            }
        }
        Assert.True(broken.Count == 0, string.Join('\n', broken));
    }

    [Fact]
    public void The_readme_stays_a_front_door()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "README.md"));
        Assert.True(lines.Length <= 250, $"README.md has {lines.Length} lines; reference material belongs in docs/.");
        // .ci/run and users look for the two commands here.
        Assert.Contains(lines, l => l.StartsWith("dotnet run --project src/AsyncFacade.Server", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("./test.sh", StringComparison.Ordinal));
    }

    private static IEnumerable<(int Line, string Target)> Links(string[] lines)
    {
        var fence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                fence = !fence;
                continue;
            }
            if (fence)
            {
                continue;
            }
            // Inline code may hold bracket-paren text that is no link (`[base]?_getpages=…(…)`).
            var text = InlineCode().Replace(lines[i], "");
            foreach (Match match in Link().Matches(text))
            {
                yield return (i + 1, match.Groups[1].Value);
            }
        }
    }

    /// <summary>GitHub's heading ids: lower case, punctuation other than '-' and '_' dropped, spaces to '-'.</summary>
    private static HashSet<string> Anchors(string file)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var fence = false;
        foreach (var line in File.ReadLines(file))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fence = !fence;
            }
            else if (!fence && Heading().Match(line) is { Success: true } heading)
            {
                var slug = new string([.. heading.Groups[1].Value.Trim().ToLowerInvariant()
                    .Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')]).Replace(' ', '-');
                anchors.Add(slug);
            }
        }
        return anchors;
    }

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^#{1,6}\s+(.*)$")]
    private static partial Regex Heading();
}
