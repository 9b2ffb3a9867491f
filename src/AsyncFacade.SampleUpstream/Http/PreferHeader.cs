namespace AsyncFacade.SampleUpstream.Http;

internal static class PreferHeader
{
    public static bool Asks(HttpRequest request, string token)
    {
        foreach (var value in request.Headers["Prefer"])
        {
            if (value?.Contains(token, StringComparison.OrdinalIgnoreCase) == true)
            {
                return true;
            }
        }
        return false;
    }

    public static PreferReturn ReturnOf(HttpRequest request)
    {
        foreach (var value in request.Headers["Prefer"])
        {
            if (value is null)
            {
                continue;
            }
            if (value.Contains("return=minimal", StringComparison.OrdinalIgnoreCase))
            {
                return PreferReturn.Minimal;
            }
            if (value.Contains("return=OperationOutcome", StringComparison.OrdinalIgnoreCase))
            {
                return PreferReturn.OperationOutcome;
            }
        }
        return PreferReturn.Representation;
    }
}
