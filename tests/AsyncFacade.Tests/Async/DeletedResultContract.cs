using System.Net;
using System.Text;
using AsyncFacade.Server.Async;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace AsyncFacade.Tests.Async;

/// <summary>
/// A finished interaction's stored answer is missing when its result is served. A DELETE (on any node) that removed the job
/// between the poll's read of the record and its read of the file is the usual reason: that poll answers 404, as every poll
/// after the DELETE does. Found by <see cref="TwoNodeLoadTests"/> as an occasional 500 blaming the storage set-up.
/// </summary>
public abstract class DeletedResultContract(FacadeFixture fixture)
{
    private readonly AsyncClient client = new(fixture.CreateClient());
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("respond-async")]
    [InlineData("respond-async, async-mode=redirect")]
    public async Task A_poll_that_read_the_job_just_before_its_DELETE_answers_404(string prefer)
    {
        var status = await client.KickOffAsync("/fhir/Patient/pat-5", prefer);
        (await client.WaitAsync(status)).Dispose();
        var seenByThePoll = await fixture.App.GetRequiredService<IJobStore>().GetAsync(status.Split('/')[^1], ct);
        Assert.Equal(JobState.Completed, seenByThePoll!.State);

        Assert.Equal(HttpStatusCode.Accepted, (await client.Http.DeleteAsync(status, ct)).StatusCode);
        var responder = fixture.App.GetRequiredService<InteractionResponder>();
        var (code, body) = await ServeAsync(prefer.Contains("redirect") ? responder.Replay(seenByThePoll) : responder.Finished(seenByThePoll));

        Assert.True(code == StatusCodes.Status404NotFound, $"{code}: {body}");
        Assert.Contains("\"not-found\"", body);
    }

    [Fact]
    public async Task A_result_lost_while_the_job_stays_completed_is_a_500_naming_the_storage_setting()
    {
        var status = await client.KickOffAsync("/fhir/Patient/pat-6");
        (await client.WaitAsync(status)).Dispose();
        // As if this node did not share Storage:LocalPath with the one that ran the job.
        await fixture.App.GetRequiredService<IOutputStore>().DeletePrefixAsync(status.Split('/')[^1], ct);

        var outcome = await FhirAssert.OperationOutcomeAsync(await client.Http.GetAsync(status, ct), HttpStatusCode.InternalServerError, "exception");

        Assert.Contains("Storage:LocalPath", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
        await client.Http.DeleteAsync(status, ct);
    }

    private async Task<(int Status, string Body)> ServeAsync(IResult result)
    {
        var httpContext = new DefaultHttpContext { RequestServices = fixture.App.Services };
        var body = new MemoryStream();
        httpContext.Response.Body = body;
        await result.ExecuteAsync(httpContext);
        return (httpContext.Response.StatusCode, Encoding.UTF8.GetString(body.ToArray()));
    }
}

[Collection(InMemoryCollection.Name)]
public sealed class InMemoryDeletedResultTests(InMemoryFacade fixture) : DeletedResultContract(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresDeletedResultTests(PostgresFacade fixture) : DeletedResultContract(fixture);
