using System.Text.Json;
using AsyncFacade.Server.Upstream;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Import;

/// <summary>Turns the upstream's OperationOutcome for a rejected entry or Bundle into a <see cref="ImportProblem"/>.</summary>
internal static class UpstreamOutcome
{
    /// <param name="fallback">What is known without the body ("the upstream answered 400 Bad Request"); the upstream's words follow it.</param>
    public static async Task<ImportProblem> ReadAsync(HttpResponseMessage response, string fallback) =>
        // Not the job's token: a batch, its answer included, is settled whole.
        From(await UpstreamOutcomeReader.ReadAsync(response, CancellationToken.None), fallback);

    public static ImportProblem Read(JsonElement outcome, string fallback) => From(UpstreamOutcomeReader.Read(outcome), fallback);

    private static ImportProblem From(UpstreamIssue? issue, string fallback) =>
        new(issue?.Code ?? OperationOutcome.IssueType.Processing, issue?.Text is { } text ? $"{fallback}: {text}" : fallback + ".", issue?.Expression);
}
