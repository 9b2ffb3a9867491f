using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Fhir;

/// <summary>Builds the OperationOutcome bodies every error under /fhir carries.</summary>
internal static class Outcomes
{
    public static OperationOutcome Create(OperationOutcome.IssueType code, string diagnostics,
        OperationOutcome.IssueSeverity severity = OperationOutcome.IssueSeverity.Error, string? expression = null)
    {
        var issue = new OperationOutcome.IssueComponent { Severity = severity, Code = code, Diagnostics = diagnostics };
        if (expression is not null)
        {
            issue.Expression = [expression];
        }
        return new OperationOutcome { Issue = [issue] };
    }

    /// <summary>The issue code that best describes an HTTP error status with no body of its own.</summary>
    public static OperationOutcome.IssueType CodeFor(int statusCode) => statusCode switch
    {
        StatusCodes.Status401Unauthorized => OperationOutcome.IssueType.Login,
        StatusCodes.Status403Forbidden => OperationOutcome.IssueType.Forbidden,
        StatusCodes.Status404NotFound or StatusCodes.Status410Gone => OperationOutcome.IssueType.NotFound,
        StatusCodes.Status405MethodNotAllowed or StatusCodes.Status406NotAcceptable
            or StatusCodes.Status415UnsupportedMediaType => OperationOutcome.IssueType.NotSupported,
        StatusCodes.Status408RequestTimeout or StatusCodes.Status504GatewayTimeout => OperationOutcome.IssueType.Timeout,
        StatusCodes.Status413PayloadTooLarge or StatusCodes.Status414UriTooLong
            or StatusCodes.Status431RequestHeaderFieldsTooLarge => OperationOutcome.IssueType.TooLong,
        StatusCodes.Status429TooManyRequests => OperationOutcome.IssueType.Throttled,
        StatusCodes.Status502BadGateway or StatusCodes.Status503ServiceUnavailable => OperationOutcome.IssueType.Transient,
        >= 400 and < 500 => OperationOutcome.IssueType.Invalid,
        _ => OperationOutcome.IssueType.Exception,
    };

    public static string DescribeStatus(int statusCode) => statusCode switch
    {
        StatusCodes.Status404NotFound => "The requested resource or route does not exist.",
        StatusCodes.Status405MethodNotAllowed => "The HTTP method is not supported on this URL.",
        StatusCodes.Status406NotAcceptable => "None of the media types in Accept can be produced.",
        StatusCodes.Status415UnsupportedMediaType => "The request's Content-Type is not supported.",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        _ => $"The request failed with HTTP status {statusCode}.",
    };
}
