using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Import;

/// <summary>What an import client does in these tests: build a body, kick off, wait for the manifest, read error reports.</summary>
public static class ImportCalls
{
    public static string Parameters(params (string Type, string Url)[] inputs) => Parameters(null, inputs);

    public static string Parameters(string? mode, params (string Type, string Url)[] inputs)
    {
        var parameters = new JsonArray { new JsonObject { ["name"] = "inputFormat", ["valueCode"] = "application/fhir+ndjson" } };
        if (mode is not null)
        {
            parameters.Add(new JsonObject { ["name"] = "mode", ["valueCode"] = mode });
        }
        foreach (var (type, url) in inputs)
        {
            parameters.Add(new JsonObject
            {
                ["name"] = "input",
                ["part"] = new JsonArray
                {
                    new JsonObject { ["name"] = "type", ["valueCode"] = type },
                    new JsonObject { ["name"] = "url", ["valueUri"] = url },
                },
            });
        }
        return new JsonObject { ["resourceType"] = "Parameters", ["parameter"] = parameters }.ToJsonString();
    }

    public static HttpRequestMessage KickOff(string body, string contentType = "application/fhir+json", string? prefer = "respond-async")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/fhir/$import") { Content = new StringContent(body, Encoding.UTF8, contentType) };
        if (prefer is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
        }
        return request;
    }

    /// <summary>Kicks off, waits, and returns the status URL and the 200 manifest (its shape checked).</summary>
    public static async Task<(string Status, JsonElement Manifest)> ImportAsync(HttpClient http, string body, string contentType = "application/fhir+json")
    {
        var status = await new AsyncClient(http).KickOffAsync(KickOff(body, contentType), "respond-async");
        using var done = await new AsyncClient(http).WaitAsync(status, TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.StartsWith("application/json", done.Content.Headers.ContentType!.ToString());
        Assert.NotNull(done.Content.Headers.Expires);
        var manifest = await FhirAssert.JsonAsync(done);
        Assert.True(DateTimeOffset.TryParse(manifest.GetProperty("transactionTime").GetString(), out _));
        Assert.EndsWith("/fhir/$import", manifest.GetProperty("request").GetString());
        return (status, manifest);
    }

    /// <summary>Every error report's OperationOutcomes, as (diagnostics, code), in file order.</summary>
    public static async Task<List<(string Diagnostics, string Code)>> ErrorsAsync(HttpClient http, JsonElement manifest)
    {
        var errors = new List<(string, string)>();
        foreach (var report in manifest.GetProperty("error").EnumerateArray())
        {
            Assert.Equal("OperationOutcome", report.GetProperty("type").GetString());
            // By path: a resumed job's URLs carry the base of the node that took the kick-off.
            var path = new Uri(report.GetProperty("url").GetString()!).PathAndQuery;
            var lines = (await http.GetStringAsync(path, TestContext.Current.CancellationToken))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(report.GetProperty("count").GetInt64(), lines.Length);
            foreach (var line in lines)
            {
                var issue = JsonDocument.Parse(line).RootElement.GetProperty("issue")[0];
                errors.Add((issue.GetProperty("diagnostics").GetString()!, issue.GetProperty("code").GetString()!));
            }
        }
        return errors;
    }

    public static string Patient(string id, string? extra = null) =>
        $$"""{"resourceType":"Patient","id":"{{id}}","active":true{{extra}}}""";

    public static IEnumerable<string> Patients(string prefix, int count) => Enumerable.Range(0, count).Select(i => Patient($"{prefix}-{i}"));
}
