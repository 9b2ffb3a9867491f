namespace AsyncFacade.Tests.Infrastructure;

public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>A project's assembly built in the same configuration as these tests (test.sh builds the whole solution).</summary>
    public static string BuiltAssembly(string project, string assembly)
    {
        var configuration = new DirectoryInfo(System.IO.Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // …/bin/{Configuration}/net10.0
        var path = System.IO.Path.Combine(Path, "src", project, "bin", configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first (./test.sh does).", path);
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "AsyncFacade.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("AsyncFacade.sln not found above " + AppContext.BaseDirectory);
    }
}
