using Microsoft.AspNetCore.Http;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Entry points for `$export` kick-off parameters (Bulk Data IG 3.0.0, STU4 draft). Both forms are reduced to the same
/// raw parameters and validated once, so GET and POST cannot drift apart.
/// </summary>
public static class ExportRequestParser
{
    public static ExportRequest? Parse(
        ExportLevel level, string? groupId, IQueryCollection query, bool lenient, out ExportRequestError? error)
    {
        var parameters = new List<ExportParameter>();
        foreach (var (name, values) in query)
        {
            foreach (var value in values)
            {
                parameters.Add(new ExportParameter(name, value ?? ""));
            }
        }

        return ExportRequestValidator.Validate(level, groupId, parameters, fromBody: false, lenient, out error);
    }

    public static ExportRequest? ParseParameters(
        ExportLevel level, string? groupId, string parametersJson, bool lenient, out ExportRequestError? error)
    {
        error = ParametersBody.TryRead(parametersJson, out var parameters);
        return error is null
            ? ExportRequestValidator.Validate(level, groupId, parameters, fromBody: true, lenient, out error)
            : null;
    }
}
