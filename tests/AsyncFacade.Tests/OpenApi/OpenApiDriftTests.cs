using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.OpenApi;

/// <summary>The committed openapi/openapi.json must be what the running app serves.</summary>
[Collection(InMemoryCollection.Name)]
public sealed class OpenApiDriftTests(InMemoryFacade fixture)
{
    public const string UpdateVariable = "ASYNCFACADE_UPDATE_OPENAPI";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public async Task Committed_document_matches_the_running_app()
    {
        var served = await fixture.CreateClient().GetStringAsync("/swagger/v1/swagger.json", TestContext.Current.CancellationToken);
        var actual = Normalize(served);
        var path = Path.Combine(RepositoryRoot.Path, "openapi", "openapi.json");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(path, actual, TestContext.Current.CancellationToken);
        }

        var committed = File.Exists(path) ? Normalize(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)) : "(missing)";
        Assert.True(committed == actual,
            $"openapi/openapi.json is out of date. Regenerate it with: {UpdateVariable}=1 ./test.sh --filter FullyQualifiedName~OpenApiDrift");
    }

    private static string Normalize(string json) => JsonNode.Parse(json)!.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
}
