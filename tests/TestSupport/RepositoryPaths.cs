namespace Courier.TestSupport;

/// <summary>Where the repository is, found from the test binaries (local runs and CI alike).</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootFolder = new(FindRoot);

    /// <summary>The folder that holds <c>Actors.sln</c>.</summary>
    public static string Root => RootFolder.Value;

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Actors.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No folder above {AppContext.BaseDirectory} contains Actors.sln. Run the tests from inside the repository clone.");
    }
}
