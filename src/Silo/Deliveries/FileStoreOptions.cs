namespace Courier.Silo.Deliveries;

/// <summary>Where product files live on disk (configuration section "Courier:Files").</summary>
public sealed class FileStoreOptions
{
    public const string Section = "Courier:Files";

    /// <summary>The folder of product files; a relative path is taken from the content root.</summary>
    public string Root { get; set; } = ".courier/files";

    /// <summary>The absolute path of a file given relative to <see cref="Root"/> (as in <c>ProductDraft.DownloadFile</c>).</summary>
    public string PathOf(string relativePath) => Path.GetFullPath(Path.Combine(Root, relativePath));
}
