using System.CommandLine;
using System.Globalization;
using AsyncFacade.Client.Bulk;

namespace AsyncFacade.Cli.Commands;

/// <summary>`fhir-async export BASE [--type …] [--since …] [--group ID | --patient-level] [--out DIR]`.</summary>
internal static class ExportCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var fhirBase = new Argument<string>("base") { Description = "The server's FHIR base URL" };
        var types = new Option<string[]>("--type") { Description = "Resource types (repeatable or comma-separated)", AllowMultipleArgumentsPerToken = true };
        var since = new Option<string?>("--since") { Description = "_since: only resources changed after this instant" };
        var until = new Option<string?>("--until") { Description = "_until: only resources changed before this instant" };
        var typeFilters = new Option<string[]>("--type-filter") { Description = "_typeFilter query, e.g. 'Observation?status=final' (repeatable)" };
        var elements = new Option<string[]>("--elements") { Description = "_elements (repeatable or comma-separated)" };
        var group = new Option<string?>("--group") { Description = "Group-level export of this group's members" };
        var patientLevel = new Option<bool>("--patient-level") { Description = "Patient-level export (all patients' compartments)" };
        var patients = new Option<string[]>("--patient") { Description = "patient reference, e.g. Patient/123 (patient or group level; sent as POST)" };
        var associated = new Option<string[]>("--include-associated-data") { Description = "includeAssociatedData values" };
        var organizeBy = new Option<string?>("--organize-by") { Description = "organizeOutputBy, e.g. Patient" };
        var partial = new Option<bool>("--partial-manifests") { Description = "allowPartialManifests=true" };
        var format = new Option<string>("--output-format") { Description = "_outputFormat", DefaultValueFactory = _ => "application/fhir+ndjson" };
        var output = new Option<string>("--out", "-o") { Description = "Directory for the files", DefaultValueFactory = _ => "bulk-export" };
        var noDownload = new Option<bool>("--no-download") { Description = "Only wait for the manifest and list its files" };
        var command = new Command("export", "Bulk Data $export: kick off, wait, download every file and check its line count")
        {
            fhirBase, types, since, until, typeFilters, elements, group, patientLevel, patients, associated, organizeBy, partial, format, output, noDownload,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(group) is not null && parse.GetValue(patientLevel))
            {
                throw new UsageException("--group and --patient-level exclude each other.");
            }
            var level = parse.GetValue(group) is not null ? ExportLevel.Group : parse.GetValue(patientLevel) ? ExportLevel.Patient : ExportLevel.System;
            var request = new ExportRequest(level, parse.GetValue(group))
            {
                Types = Split(parse.GetValue(types)),
                Since = Instant(parse.GetValue(since), "--since"),
                Until = Instant(parse.GetValue(until), "--until"),
                TypeFilters = parse.GetValue(typeFilters) ?? [],
                Elements = Split(parse.GetValue(elements)),
                Patients = parse.GetValue(patients) ?? [],
                IncludeAssociatedData = Split(parse.GetValue(associated)),
                OrganizeOutputBy = parse.GetValue(organizeBy),
                AllowPartialManifests = parse.GetValue(partial),
                OutputFormat = parse.GetValue(format)!,
                Headers = environment.Common.Headers(parse),
            };
            using var client = environment.Client(parse, CommonOptions.AbsoluteUrl(parse.GetValue(fhirBase)!, "base"));
            var session = new JobSession("export", client, environment.Output(parse));
            var directory = parse.GetValue(noDownload) ? null : parse.GetValue(output);
            return await session.RunAsync(ct => client.ExportAsync(request, ct), (result, view, ct) => session.DownloadAsync(result, directory, view, ct), cancellationToken);
        });
        return command;
    }

    public static IReadOnlyList<string> Split(string[]? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    private static DateTimeOffset? Instant(string? text, string option) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value
        : throw new UsageException($"{option} '{text}' is not a date or instant (e.g. 2024-01-31 or 2024-01-31T12:00:00Z).");
}
