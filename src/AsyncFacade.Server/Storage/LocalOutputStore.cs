using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Storage;

/// <summary>Output on the local disk, one directory per job.</summary>
internal sealed class LocalOutputStore(IOptions<StorageOptions> options) : IOutputStore
{
    private readonly string root = options.Value.ResolveLocalPath();

    public string Provider => "local";

    public Task<IOutputWriter> CreateAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathFor(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return Task.FromResult<IOutputWriter>(new LocalOutputWriter(path));
    }

    public Task<IOutputWriter?> ResumeAsync(string key, long length, CancellationToken cancellationToken)
    {
        var path = PathFor(key);
        var temp = LocalOutputWriter.TempPathOf(path);
        // Committed after the checkpoint that still lists it as open: take it back, the run will append to it.
        if (!File.Exists(temp) && File.Exists(path))
        {
            File.Move(path, temp);
        }
        if (!File.Exists(temp) || new FileInfo(temp).Length < length)
        {
            return Task.FromResult<IOutputWriter?>(null);
        }
        var stream = new FileStream(temp, FileMode.Open, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
        stream.SetLength(length);
        stream.Seek(0, SeekOrigin.End);
        return Task.FromResult<IOutputWriter?>(new LocalOutputWriter(path, stream));
    }

    public Task<StoredObject?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathFor(key));
        if (!file.Exists)
        {
            return Task.FromResult<StoredObject?>(null);
        }
        var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous);
        return Task.FromResult<StoredObject?>(new StoredObject(stream, file.Length, file.LastWriteTimeUtc));
    }

    public async Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var path = PathFor(prefix);
        // A DELETE and the clean-up round (or two nodes' rounds) may remove the same job at once.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return; // removed meanwhile
            }
            catch (IOException) when (attempt < 5)
            {
                // Another deleter removed a file this one was about to (or the directory was not empty yet): again.
                await Task.Delay(20 * attempt, cancellationToken);
            }
        }
    }

    // The disk cannot sign a URL: clients download through the facade.
    public Task<Uri?> GetReadLinkAsync(string key, DateTimeOffset expires, CancellationToken cancellationToken) =>
        Task.FromResult<Uri?>(null);

    // file:// sources are never read: an import reads the disk only through the store's own keys.
    public Task<StoredObject?> TryOpenSourceAsync(Uri url, CancellationToken cancellationToken) =>
        Task.FromResult<StoredObject?>(null);

    public async IAsyncEnumerable<string> ListPrefixesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!Directory.Exists(root))
        {
            yield break;
        }
        foreach (var directory in Directory.EnumerateDirectories(root))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Path.GetFileName(directory);
        }
        await Task.CompletedTask;
    }

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(root);
        var probe = Path.Combine(root, $".ready-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(probe, [], cancellationToken);
        File.Delete(probe);
    }

    private string PathFor(string key)
    {
        var path = Path.GetFullPath(Path.Combine(root, OutputKey.Validate(key)));
        // Defence in depth: OutputKey already forbids '..' and separators other than '/'.
        return path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"'{key}' resolves outside the output directory.", nameof(key));
    }
}
