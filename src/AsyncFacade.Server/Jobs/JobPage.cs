namespace AsyncFacade.Server.Jobs;

/// <param name="Next">Where the following page starts; null on the last page.</param>
public sealed record JobPage(IReadOnlyList<JobRecord> Jobs, JobCursor? Next)
{
    /// <summary>A page from up to <paramref name="limit"/> + 1 rows: the extra row only says that another page follows.</summary>
    public static JobPage Of(List<JobRecord> fetched, int limit) => fetched.Count > limit
        ? new JobPage(fetched[..limit], JobCursor.After(fetched[limit - 1]))
        : new JobPage(fetched, null);
}
