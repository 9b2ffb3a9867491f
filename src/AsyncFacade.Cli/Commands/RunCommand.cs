using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using AsyncFacade.Client;
using Hl7.Fhir.Model;

namespace AsyncFacade.Cli.Commands;

/// <summary>`fhir-async run BASE "GET Patient?name=x"` or `fhir-async run BASE POST Patient --body patient.json`: any request, asynchronously.</summary>
internal static class RunCommand
{
    private static readonly HashSet<string> Methods = new(StringComparer.OrdinalIgnoreCase) { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD" };

    public static Command Create(CliEnvironment environment)
    {
        var fhirBase = new Argument<string>("base") { Description = "The server's FHIR base URL" };
        var request = new Argument<string[]>("request")
        {
            Description = "The request: 'GET Patient?name=x', or METHOD URL, or just a URL (GET); URLs are relative to the base or absolute",
            Arity = new ArgumentArity(1, 2),
        };
        var body = new Option<FileInfo?>("--body") { Description = "File with the request body" };
        var contentType = new Option<string>("--content-type") { Description = "Content-Type of the body", DefaultValueFactory = _ => "application/fhir+json" };
        var mode = new Option<string?>("--async-mode") { Description = "bundle (the result in a batch-response Bundle) or redirect (303 to the replayed answer)" };
        var output = new Option<string?>("--out", "-o") { Description = "Write the result body to this file (default: stdout, unless --json)" };
        var command = new Command("run", "Run any FHIR request asynchronously and print its result") { fhirBase, request, body, contentType, mode, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var asyncRequest = Parse(parse.GetValue(request)!) with
            {
                Body = parse.GetValue(body) is { } file ? File.Exists(file.FullName) ? File.ReadAllBytes(file.FullName) : throw new UsageException($"Body file {file.FullName} not found.") : null,
                ContentType = parse.GetValue(contentType)!,
                AsyncMode = parse.GetValue(mode),
                Headers = environment.Common.Headers(parse),
            };
            var cli = environment.Output(parse);
            using var client = environment.Client(parse, CommonOptions.AbsoluteUrl(parse.GetValue(fhirBase)!, "base"));
            var session = new JobSession("run", client, cli);
            return await session.RunAsync(ct => client.KickOffAsync(asyncRequest, ct),
                (result, view, ct) => FinishAsync("run", session, client, cli, result, parse.GetValue(output), ct), cancellationToken);
        });
        return command;
    }

    /// <summary>Any finished job: a manifest is downloaded (into <paramref name="output"/> as a directory) or listed; other results are written out.</summary>
    public static async Task<CliSummary> FinishAsync(string name, JobSession session, FhirAsyncClient client, CliOutput cli, JobResult result, string? output,
        CancellationToken cancellationToken)
    {
        if (result.Manifest is not null)
        {
            return await session.DownloadAsync(result, output, new ProgressView(null, null), cancellationToken);
        }
        if (result.Location is not null)
        {
            using var replayed = await client.OpenResultAsync(result, cancellationToken);
            await using var content = await replayed.Content.ReadAsStreamAsync(cancellationToken);
            var path = await WriteAsync(content, output, cli, cancellationToken);
            return Summary(name, replayed.StatusCode, null) with { ResultStatus = ((int)replayed.StatusCode).ToString(), ResultPath = path };
        }
        if (result.Bundle is { Entry: [var entry] })
        {
            var json = entry.Resource is { } resource ? FhirJson.Serialize(resource) : null;
            var path = json is null ? null : await WriteAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), output, cli, cancellationToken);
            var code = int.TryParse(entry.Response?.Status?.Split(' ')[0], out var c) ? (HttpStatusCode)c : HttpStatusCode.OK;
            return Summary(name, code, entry.Response?.Outcome as OperationOutcome ?? entry.Resource as OperationOutcome) with { ResultStatus = entry.Response?.Status, ResultPath = path };
        }
        var other = result.Bundle ?? result.Resource;
        var written = other is null ? null : await WriteAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(FhirJson.Serialize(other))), output, cli, cancellationToken);
        return new CliSummary(name, "completed", ExitCodes.Ok) { ResultStatus = ((int)result.StatusCode).ToString(), ResultPath = written };
    }

    // The job completed; the interaction's own status says whether it worked (bundle mode puts failures in the entry).
    private static CliSummary Summary(string name, HttpStatusCode status, OperationOutcome? outcome)
    {
        var code = (int)status switch
        {
            < 400 => ExitCodes.Ok,
            401 or 403 => ExitCodes.Unauthorized,
            429 or 502 or 503 or 504 => ExitCodes.Transient,
            _ when outcome is not null && StatusReader.IsTransient(outcome) => ExitCodes.Transient,
            _ => ExitCodes.JobFailed,
        };
        return new CliSummary(name, code == ExitCodes.Ok ? "completed" : "failed", code) { Issues = code == ExitCodes.Ok ? null : JobSession.Issues(outcome) };
    }

    /// <returns>The file written, or null when the body went to stdout (or nowhere, with --json).</returns>
    private static async Task<string?> WriteAsync(Stream content, string? output, CliOutput cli, CancellationToken cancellationToken)
    {
        if (output is not null)
        {
            await using var file = File.Create(output);
            await content.CopyToAsync(file, cancellationToken);
            return Path.GetFullPath(output);
        }
        if (!cli.Json)
        {
            using var reader = new StreamReader(content);
            await cli.Out.WriteLineAsync(await reader.ReadToEndAsync(cancellationToken));
        }
        return null;
    }

    private static AsyncRequest Parse(string[] tokens)
    {
        var parts = tokens.Length == 1 ? tokens[0].Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : tokens;
        return parts switch
        {
            [var url] => AsyncRequest.Get(url),
            [var method, var url] when Methods.Contains(method) => new AsyncRequest(new HttpMethod(method.ToUpperInvariant()), url),
            _ => throw new UsageException($"'{string.Join(' ', tokens)}' is not a request: write 'GET Patient?name=x' or METHOD URL."),
        };
    }
}
