using System.CommandLine;
using AsyncFacade.Client;

namespace AsyncFacade.Cli.Commands;

/// <summary>`fhir-async cancel STATUS-URL`: DELETE the job (a finished one is deleted with its files).</summary>
internal static class CancelCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var url = new Argument<string>("status-url") { Description = "The job's status URL (Content-Location of the kick-off)" };
        var command = new Command("cancel", "Cancel a running job, or delete a finished one and its files") { url };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var statusUrl = CommonOptions.AbsoluteUrl(parse.GetValue(url)!, "status-url");
            var output = environment.Output(parse);
            using var client = environment.Client(parse, StatusCommand.FhirBaseOf(statusUrl));
            CliSummary summary;
            try
            {
                summary = await client.CancelAsync(statusUrl, cancellationToken)
                    ? new CliSummary("cancel", "cancelled", ExitCodes.Ok) { StatusUrl = statusUrl.ToString() }
                    : new CliSummary("cancel", "not-found", ExitCodes.Expired) { StatusUrl = statusUrl.ToString(), Message = "No such job: it finished and expired, or was already cancelled." };
            }
            catch (FhirAsyncException ex)
            {
                summary = JobSession.Failed("cancel", ex) with { StatusUrl = statusUrl.ToString() };
            }
            output.Write(summary);
            return summary.ExitCode;
        });
        return command;
    }
}
