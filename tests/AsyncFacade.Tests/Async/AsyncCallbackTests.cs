using System.Net;
using System.Security.Cryptography;
using System.Text;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Tests.Callbacks;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Async;

/// <summary>Callbacks end to end: kick-off with `callback-url`, the job finishes, a signed Parameters arrives.</summary>
public sealed class AsyncCallbackTests : IAsyncLifetime
{
    private const string SigningKey = "test-signing-key-0123456789";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private CallbackReceiver receiver = null!;
    private FacadeApplication app = null!;
    private AsyncClient client = null!;

    public async ValueTask InitializeAsync()
    {
        receiver = await CallbackReceiver.StartAsync(ct);
        app = new FacadeApplication(new Dictionary<string, string?>
        {
            ["Callbacks:AllowedHosts:0"] = "127.0.0.1",
            ["Callbacks:SigningKey"] = SigningKey,
        }).Start();
        client = new AsyncClient(app.CreateRawClient());
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task Completed_job_posts_a_signed_Parameters_with_status_and_result_url()
    {
        var callbackUrl = receiver.UrlFor(200);
        var status = await client.KickOffAsync("/fhir/Patient/pat-1", $"respond-async, callback-url=\"{callbackUrl}\"");

        var callback = (await receiver.WaitForAsync(1)).Single();

        Assert.Equal("POST", callback.Method);
        Assert.StartsWith("application/fhir+json", callback.Header("Content-Type"));
        Assert.Equal("completed", callback.Parameter("status").GetProperty("valueCode").GetString());
        Assert.Equal(status, callback.Parameter("resultUrl").GetProperty("valueUrl").GetString());
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningKey), callback.Body));
        Assert.Equal("sha256=" + expected, callback.Header("X-Signature"));
    }

    [Fact]
    public async Task Redirect_mode_callback_points_at_the_result_url()
    {
        var status = await client.KickOffAsync("/fhir/Patient/pat-1", $"respond-async, async-mode=redirect, callback-url={receiver.UrlFor(200)}");

        var callback = (await receiver.WaitForAsync(1)).Single();

        Assert.Equal(status + "/result", callback.Parameter("resultUrl").GetProperty("valueUrl").GetString());
    }

    [Fact]
    public async Task Cancelled_job_posts_a_cancelled_callback()
    {
        var queue = app.GetRequiredService<JobQueue>();
        var baseUrl = app.ServerAddress + "fhir";
        var job = queue.NewJob(TestJobHandlers.Block, "anonymous", new JobRequest("GET", "Patient", JobRequest.NoHeaders))
            with { BaseUrl = baseUrl, CallbackUrl = receiver.UrlFor(200) };
        await queue.EnqueueAsync(job, ct);

        using var cancel = await client.Http.DeleteAsync($"{baseUrl}/_async/{job.Id}", ct);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var callback = (await receiver.WaitForAsync(1)).Single();
        Assert.Equal("cancelled", callback.Parameter("status").GetProperty("valueCode").GetString());
    }

    [Theory]
    [InlineData("http://10.0.0.5/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://internal.example.org/hook")]
    [InlineData("ftp://127.0.0.1/hook")]
    [InlineData("not a url")]
    public async Task Callback_url_not_allowed_is_refused_at_kick_off_and_no_job_is_created(string callbackUrl)
    {
        var before = Directory.Exists(app.OutputDirectory) ? Directory.GetDirectories(app.OutputDirectory).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fhir/Patient")
        {
            Content = new StringContent("""{"resourceType":"Patient"}""", Encoding.UTF8, "application/fhir+json"),
        };
        request.Headers.TryAddWithoutValidation("Prefer", $"respond-async, callback-url=\"{callbackUrl}\"");

        await FhirAssert.OperationOutcomeAsync(await client.Http.SendAsync(request, ct), HttpStatusCode.BadRequest, "invalid");

        var after = Directory.Exists(app.OutputDirectory) ? Directory.GetDirectories(app.OutputDirectory).Length : 0;
        Assert.Equal(before, after); // no request body was stored for a job that must not exist
    }
}
