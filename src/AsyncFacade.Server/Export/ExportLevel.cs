namespace AsyncFacade.Server.Export;

public enum ExportLevel
{
    System,
    Patient,
    Group,
}
