using System.CommandLine;
using AsyncFacade.Client.Bulk;

namespace AsyncFacade.Cli.Commands;

/// <summary>`fhir-async import BASE MANIFEST-FILE` or `fhir-async import BASE Type=URL… | URL…`.</summary>
internal static class ImportCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var fhirBase = new Argument<string>("base") { Description = "The server's FHIR base URL" };
        var sources = new Argument<string[]>("sources")
        {
            Description = "A Bulk Data manifest file (JSON), or NDJSON inputs as Type=URL or URLs whose file name starts with the type (Patient-1.ndjson)",
            Arity = ArgumentArity.OneOrMore,
        };
        var mode = new Option<string?>("--mode") { Description = "IncrementalLoad (default) or InitialLoad" };
        var output = new Option<string?>("--out", "-o") { Description = "Directory to save the error reports in (default: only list them)" };
        var command = new Command("import", "Bulk $import of NDJSON files: kick off, wait, report what was written and the errors") { fhirBase, sources, mode, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = Request(parse.GetValue(sources)!, parse.GetValue(mode)) with { Headers = environment.Common.Headers(parse) };
            using var client = environment.Client(parse, CommonOptions.AbsoluteUrl(parse.GetValue(fhirBase)!, "base"));
            var session = new JobSession("import", client, environment.Output(parse));
            return await session.RunAsync(ct => client.ImportAsync(request, ct), (result, view, ct) => session.DownloadAsync(result, parse.GetValue(output), view, ct),
                cancellationToken);
        });
        return command;
    }

    private static ImportRequest Request(string[] sources, string? mode)
    {
        if (sources is [var single] && File.Exists(single))
        {
            return ImportRequest.FromManifest(File.ReadAllBytes(single));
        }
        var inputs = new List<(string Type, Uri Url)>();
        foreach (var source in sources)
        {
            var equals = source.IndexOf('=');
            var (type, url) = equals > 0 && !source[..equals].Contains(':') ? (source[..equals], source[(equals + 1)..]) : (null, source);
            var uri = Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? parsed : throw new UsageException($"'{source}' is neither a manifest file nor Type=URL or an absolute URL.");
            type ??= TypeFromFileName(uri) ?? throw new UsageException($"No resource type in '{source}': write it as Type=URL.");
            inputs.Add((type, uri));
        }
        return ImportRequest.FromInputs(inputs, mode: mode);
    }

    // Patient.ndjson, Patient-1.ndjson, Observation.2.ndjson → the leading capitalised name.
    private static string? TypeFromFileName(Uri url)
    {
        var name = Uri.UnescapeDataString(url.Segments[^1]);
        var type = new string([.. name.TakeWhile(char.IsAsciiLetter)]);
        return type.Length > 0 && char.IsUpper(type[0]) ? type : null;
    }
}
