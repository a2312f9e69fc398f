namespace ServerlessFlow.DevServer;

/// <summary>Finds the folder of the project that runs the dev server.</summary>
internal static class ProjectFolders
{
    /// <summary>
    /// The nearest folder holding a project file above the program (bin/Debug/net10.0 sits inside the project under
    /// <c>dotnet run</c>), else the working directory: a published program has no project above it.
    /// </summary>
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (directory.EnumerateFiles("*.*proj").Any())
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
