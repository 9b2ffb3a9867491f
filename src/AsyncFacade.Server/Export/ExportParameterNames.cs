namespace AsyncFacade.Server.Export;

/// <summary>Kick-off parameter names from the Bulk Data IG (3.0.0 and the STU4 draft) and their cardinality.</summary>
internal static class ExportParameterNames
{
    public const string OutputFormat = "_outputFormat";
    public const string Since = "_since";
    public const string Until = "_until";
    public const string Types = "_type";
    public const string TypeFilter = "_typeFilter";
    public const string Elements = "_elements";
    public const string Patient = "patient";
    public const string IncludeAssociatedData = "includeAssociatedData";
    public const string OrganizeOutputBy = "organizeOutputBy";
    public const string AllowPartialManifests = "allowPartialManifests";

    public static bool IsKnown(string name) => name is OutputFormat or Since or Until or Types or TypeFilter
        or Elements or Patient or IncludeAssociatedData or OrganizeOutputBy or AllowPartialManifests;

    // 0..1 in the IG's OperationDefinition; the rest are 0..*.
    public static bool IsSingleValued(string name) => name is OutputFormat or Since or Until
        or OrganizeOutputBy or AllowPartialManifests;
}
