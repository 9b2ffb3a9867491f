namespace AsyncFacade.Server.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Directory for job output. Default: asyncfacade/output under the system temp directory.</summary>
    public string? LocalPath { get; set; }

    public string ResolveLocalPath() =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(LocalPath) ? Path.Combine(Path.GetTempPath(), "asyncfacade", "output") : LocalPath);
}
