namespace AsyncFacade.Server.Export;

/// <summary>A resumed type's unfinished file is gone (storage lost, or not shared): that type is exported again from its start.</summary>
internal sealed class ExportRestartException(string type) : Exception($"The unfinished {type} file is gone; exporting {type} again.")
{
    public string Type => type;
}
