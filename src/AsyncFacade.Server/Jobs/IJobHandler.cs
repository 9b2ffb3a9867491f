namespace AsyncFacade.Server.Jobs;

/// <summary>
/// Does the work of one job kind; registered as a keyed service under the kind's name. Delivery is
/// at-least-once, so a handler must be safe to run again for the same job (resume or redo, never duplicate).
/// </summary>
public interface IJobHandler
{
    /// <returns>Kind-specific JSON stored as <see cref="JobRecord.Result"/>, or null.</returns>
    /// <exception cref="JobFailedException">The job failed in a way the client should be told about.</exception>
    Task<string?> RunAsync(JobContext context, CancellationToken cancellationToken);
}
