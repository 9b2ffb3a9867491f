using System.Net;
using System.Text.Json;

namespace AsyncFacade.Tests.Infrastructure;

public static class FhirAssert
{
    /// <summary>Asserts the status and that the body is an OperationOutcome with the given issue code.</summary>
    public static async Task<JsonElement> OperationOutcomeAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/fhir+json", response.Content.Headers.ContentType?.ToString());
        var outcome = JsonDocument.Parse(body).RootElement;
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        Assert.Equal(code, outcome.GetProperty("issue")[0].GetProperty("code").GetString());
        Assert.DoesNotContain("   at ", body); // no stack traces on the wire
        return outcome;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
