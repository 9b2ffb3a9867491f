using System.Text.Json.Nodes;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.OpenApi;

/// <summary>Swagger UI shows an operation's summary as plain text (only descriptions are Markdown).</summary>
[Collection(InMemoryCollection.Name)]
public sealed class OpenApiSummaryTests(InMemoryFacade fixture)
{
    [Fact]
    public async Task No_operation_summary_contains_Markdown_backticks()
    {
        var served = await fixture.CreateClient().GetStringAsync("/swagger/v1/swagger.json", TestContext.Current.CancellationToken);

        var summaries = JsonNode.Parse(served)!["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject()
                .Where(operation => operation.Value is JsonObject { } o && o.ContainsKey("summary"))
                .Select(operation => $"{operation.Key.ToUpperInvariant()} {path.Key}: {operation.Value!["summary"]}"))
            .ToList();

        Assert.NotEmpty(summaries);
        Assert.DoesNotContain(summaries, s => s.Contains('`', StringComparison.Ordinal));
    }
}
