using System.Collections;

namespace AsyncFacade.Server.Jobs;

/// <summary>
/// The logging scope of a job run: structured JobId, JobKind and (for an export unit) ParentJobId, which the JSON
/// console formatter writes as fields and log pipelines can filter on; the text form is for the simple console formatter.
/// </summary>
internal sealed class JobLogScope(JobRecord job) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] fields = job.ParentId is null
        ? [new("JobId", job.Id), new("JobKind", job.Kind)]
        : [new("JobId", job.Id), new("JobKind", job.Kind), new("ParentJobId", job.ParentId)];

    public int Count => fields.Length;

    public KeyValuePair<string, object?> this[int index] => fields[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)fields).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => job.ParentId is null ? $"Job {job.Id} ({job.Kind})" : $"Job {job.Id} ({job.Kind} of {job.ParentId})";
}
