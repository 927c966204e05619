namespace Courier.Bench.Harness;

/// <summary>The repository clone the bench runs from (the folder holding Actors.sln).</summary>
internal static class RepositoryFolder
{
    private static readonly Lazy<string> Found = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Actors.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Actors.sln not found above the bench's folder.");
    });

    public static string Root => Found.Value;
}
