namespace AsyncFacade.Client.Bulk;

/// <summary>Where a Bulk Data export starts: `/$export`, `/Patient/$export` or `/Group/{id}/$export`.</summary>
public enum ExportLevel
{
    System,
    Patient,
    Group,
}
