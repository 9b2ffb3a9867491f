using System.Text.Json;
using System.Text.Json.Serialization;

namespace AsyncFacade.Cli;

/// <summary>The one JSON document `--json` writes to stdout: how the command ended, the files, counts and errors.</summary>
internal sealed record CliSummary(string Command, string Status, int ExitCode)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string? StatusUrl { get; init; }

    public string? Message { get; init; }

    /// <summary>The server's last `X-Progress`.</summary>
    public string? Progress { get; init; }

    public int? HttpStatus { get; init; }

    public string? TransactionTime { get; init; }

    public DateTimeOffset? Expires { get; init; }

    public string? OutputDirectory { get; init; }

    public long? Resources { get; init; }

    public long? ErrorLines { get; init; }

    public IReadOnlyList<SummaryFile>? Files { get; init; }

    /// <summary>Issues from the error files, or of the failure's OperationOutcome.</summary>
    public IReadOnlyList<SummaryIssue>? Issues { get; init; }

    /// <summary>`run`: the interaction's own status (`entry.response.status`, or the redirect's status code).</summary>
    public string? ResultStatus { get; init; }

    public string? ResultPath { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
