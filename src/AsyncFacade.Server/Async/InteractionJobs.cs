namespace AsyncFacade.Server.Async;

internal static class InteractionJobs
{
    /// <summary>The job kind of any FHIR interaction run asynchronously by forwarding it upstream.</summary>
    public const string Kind = "interaction";

    public static string RequestBodyKey(string jobId) => jobId + "/request";

    public static string ResponseBodyKey(string jobId) => jobId + "/response";

    /// <summary>Request headers that change what the upstream does, kept with the job to send again.</summary>
    public static readonly string[] ForwardedHeaders =
        ["Accept", "Content-Type", "If-Match", "If-None-Match", "If-None-Exist", "If-Modified-Since", "Authorization"];
}
