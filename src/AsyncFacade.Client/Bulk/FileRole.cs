namespace AsyncFacade.Client.Bulk;

/// <summary>Which manifest list a file came from.</summary>
public enum FileRole
{
    Output,
    Error,
    Deleted,
}
