namespace AsyncFacade.Server.Export;

/// <summary>A `_typeFilter` query the upstream cannot apply as asked: which filter, which parameter (when known), and why.</summary>
internal sealed record TypeFilterProblem(ExportTypeFilter Filter, string? Parameter, string Reason)
{
    public string Describe() => Parameter is null
        ? $"_typeFilter {Filter.Type}?{Filter.Query}: {Reason}"
        : $"_typeFilter {Filter.Type}?{Filter.Query}: the upstream does not apply `{Parameter}` ({Reason})";
}
