using Microsoft.Extensions.Options;

namespace Courier.Silo.Deliveries;

/// <summary>Where product files are kept (a local folder now; object storage can implement this later).</summary>
public interface IFileStore
{
    /// <summary>
    /// Opens a product file named as in the product record (a path relative to the store), or null
    /// when there is no such file. The stream must be seekable, so range requests can be served.
    /// </summary>
    Task<StoredFile?> OpenAsync(string name, CancellationToken cancellationToken);

    /// <summary>Whether the store holds a product file of this name (as in the product record).</summary>
    Task<bool> ExistsAsync(string name, CancellationToken cancellationToken);
}

public sealed record StoredFile(Stream Content, long Length, DateTimeOffset LastModified, string FileName);

/// <summary>Product files in the folder <see cref="FileStoreOptions.Root"/>; a name that points outside it finds nothing.</summary>
internal sealed class LocalFileStore(IOptions<FileStoreOptions> options) : IFileStore
{
    public Task<StoredFile?> OpenAsync(string name, CancellationToken cancellationToken)
    {
        if (Find(name) is not { } file) return Task.FromResult<StoredFile?>(null);
        Stream content = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Task.FromResult<StoredFile?>(new StoredFile(content, file.Length, file.LastWriteTimeUtc, file.Name));
    }

    public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(Find(name) is not null);

    private FileInfo? Find(string name)
    {
        var root = Path.GetFullPath(options.Value.Root);
        var path = options.Value.PathOf(name);
        var inside = path.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        var file = new FileInfo(path);
        return inside && file.Exists ? file : null;
    }
}
