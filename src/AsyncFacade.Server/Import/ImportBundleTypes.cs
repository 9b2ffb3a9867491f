namespace AsyncFacade.Server.Import;

internal static class ImportBundleTypes
{
    public const string Batch = "batch";

    public const string Transaction = "transaction";
}
