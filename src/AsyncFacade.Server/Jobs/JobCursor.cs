namespace AsyncFacade.Server.Jobs;

/// <summary>A position in the newest-first job list: (created, id) of the last job seen; ids break ties between equal instants.</summary>
public sealed record JobCursor(DateTimeOffset CreatedAt, string Id)
{
    public static JobCursor After(JobRecord job) => new(job.CreatedAt, job.Id);

    /// <summary>Whether <paramref name="job"/> comes after this position in newest-first order.</summary>
    public bool Precedes(JobRecord job) =>
        job.CreatedAt < CreatedAt || (job.CreatedAt == CreatedAt && string.CompareOrdinal(job.Id, Id) < 0);
}
