namespace AsyncFacade.Server.Export;

internal static class ExportLevels
{
    /// <summary>The level and group of a kick-off URL relative to the FHIR base: `$export`, `Patient/$export`, `Group/{id}/$export`.</summary>
    public static (ExportLevel Level, string? GroupId) FromPath(string relativeUrl)
    {
        var path = relativeUrl.Split('?', 2)[0].Trim('/');
        var segments = path.Split('/');
        return segments switch
        {
            ["Patient", "$export"] => (ExportLevel.Patient, null),
            ["Group", var id, "$export"] => (ExportLevel.Group, Uri.UnescapeDataString(id)),
            _ => (ExportLevel.System, null),
        };
    }
}
