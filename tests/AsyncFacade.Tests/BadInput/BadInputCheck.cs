using System.Diagnostics;
using System.Text.Json;

namespace AsyncFacade.Tests.BadInput;

/// <summary>
/// Sends one bad request and checks the refusal: a 4xx (the one the protocol names, when it names one), an OperationOutcome
/// that says what failed (or OAuth's error body from the token endpoint), within a second, and nothing changed: no job,
/// no file, no write upstream.
/// </summary>
internal static class BadInputCheck
{
    /// <summary>"Never a hang": a refusal needs no upstream round trip worth speaking of, let alone a job.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    private static readonly string[] OAuthErrors =
        ["invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope", "slow_down"];

    public static async Task RefusedAsync(BadInputFacade host, BadRequest bad)
    {
        var ct = TestContext.Current.CancellationToken;
        var before = await host.SnapshotAsync(ct);

        using var request = bad.ToRequest(host.Resolve);
        var clock = Stopwatch.StartNew();
        using var response = await host.Http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        clock.Stop();

        var status = (int)response.StatusCode;
        var expected = bad.Status?.ToString() ?? "a 4xx";
        Assert.True(bad.Status is { } exact ? status == exact : status is >= 400 and < 500,
            $"Expected {expected}, got {status} {response.Content.Headers.ContentType}: {Shorten(body)}");
        Assert.True(clock.Elapsed < Bound, $"Answered after {clock.ElapsedMilliseconds} ms.");
        Assert.DoesNotContain("   at ", body); // no stack trace on the wire
        Assert.Null(response.Content.Headers.ContentLocation); // no status URL: no job
        switch (bad.Refusal)
        {
            case RefusalBody.OAuthError:
                OAuthError(response, body);
                break;
            case RefusalBody.KestrelBare:
                Assert.Equal("", body);
                break;
            default:
                OperationOutcome(response, body);
                break;
        }

        Unchanged(before, await host.SnapshotAsync(ct));
    }

    private static void Unchanged(BadInputSnapshot before, BadInputSnapshot after)
    {
        if (before == after)
        {
            return;
        }
        var was = before.OutputEntries.Split('\n').ToHashSet();
        var now = after.OutputEntries.Split('\n').ToHashSet();
        Assert.Fail($"The request changed the server: jobs {before.Jobs} → {after.Jobs}, upstream writes {before.UpstreamWrites} → {after.UpstreamWrites}, " +
            $"output added [{string.Join(", ", now.Except(was))}], removed [{string.Join(", ", was.Except(now))}].");
    }

    private static void OperationOutcome(HttpResponseMessage response, string body)
    {
        var contentType = response.Content.Headers.ContentType?.MediaType;
        Assert.True(contentType == "application/fhir+json", $"Content-Type {response.Content.Headers.ContentType}, body: {Shorten(body)}");
        var outcome = Parse(body);
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        Assert.Contains(outcome.GetProperty("issue").EnumerateArray(), issue =>
            issue.GetProperty("severity").GetString() is "error" or "fatal" &&
            issue.TryGetProperty("code", out var code) && code.GetString() is { Length: > 0 } &&
            ((issue.TryGetProperty("diagnostics", out var diagnostics) && diagnostics.GetString() is { Length: > 0 }) ||
             (issue.TryGetProperty("details", out var details) && details.TryGetProperty("text", out var text) && text.GetString() is { Length: > 0 })));
    }

    private static void OAuthError(HttpResponseMessage response, string body)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var error = Parse(body);
        Assert.Contains(error.GetProperty("error").GetString(), OAuthErrors);
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("error_description").GetString()));
    }

    private static JsonElement Parse(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"The body is not JSON ({e.Message}): {Shorten(body)}");
        }
    }

    private static string Shorten(string body) => body.Length > 400 ? body[..400] + "…" : body.Length == 0 ? "(empty body)" : body;
}
