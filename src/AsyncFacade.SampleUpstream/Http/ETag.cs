namespace AsyncFacade.SampleUpstream.Http;

internal static class ETag
{
    public static string Of(int versionId) => $"W/\"{versionId.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"";
}
