using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Docs;

/// <summary>
/// Issue 16: every shell example in README.md and docs/**/*.md runs as written against the default server (markers:
/// <see cref="MarkdownExamples"/>; how they run: <see cref="DocExampleRunner"/>). One test per page, and one skipped
/// test per example marked skip, so that the reason shows in the test results.
/// </summary>
[Collection(DocExampleCollection.Name)]
public sealed class DocExampleTests(DocServers servers)
{
    public static TheoryData<string> Pages => new(DocPages.All());

    public static IEnumerable<TheoryDataRow<string, int>> SkippedExamples =>
        from page in DocPages.All()
        from example in TryParse(page)
        where example.SkipReason is not null
        select new TheoryDataRow<string, int>(page, example.Line)
        {
            Skip = example.SkipReason,
            TestDisplayName = $"Doc example {example.Location} is not run: {example.SkipReason} ",
        };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Shell_examples_of_the_page_run_as_written(string page)
    {
        var run = await new DocExampleRunner(servers).RunAsync(Parse(page), DocExampleRunner.PageTimeout);

        TestContext.Current.TestOutputHelper?.WriteLine(run.Output);
        Assert.True(run.Failure is null, run.Failure);
    }

    [Theory(SkipTestWithoutData = true)]
    [MemberData(nameof(SkippedExamples))]
    public void Skipped_example(string page, int line) =>
        Assert.Fail($"{page}:{line} is marked skip and never runs: xunit skips its row");

    private static IReadOnlyList<DocExample> Parse(string page) =>
        MarkdownExamples.Parse(page, File.ReadAllText(Path.Combine(RepositoryRoot.Path, page)));

    /// <summary>For the skipped rows only: a page that does not parse fails its own page test with the reason.</summary>
    private static IReadOnlyList<DocExample> TryParse(string page)
    {
        try
        {
            return Parse(page);
        }
        catch (FormatException)
        {
            return [];
        }
    }
}
