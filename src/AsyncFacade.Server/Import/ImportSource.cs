namespace AsyncFacade.Server.Import;

/// <summary>
/// Where one input's bytes come from, decided by <see cref="ImportSourcePolicy"/>: one of this server's own export files
/// (read from the output store, no HTTP), a file under Import:FileDirectory, or an allowed http(s) host.
/// </summary>
internal sealed record ImportSource(ImportSource.Kind From, Uri Url, string? ExportJobId = null, string? FileName = null, string? LocalPath = null)
{
    public enum Kind
    {
        OwnExport,
        LocalFile,
        Http,
    }
}
