namespace ServerlessFlow.DevServer;

/// <summary>Finds the repository's Azurite (installed by <c>npm ci</c>, which <c>./build.sh dev</c> runs).</summary>
internal static class AzuriteLocator
{
    /// <summary>Azurite's entry point, relative to the repository root.</summary>
    public static readonly string EntryPoint = Path.Combine("node_modules", "azurite", "dist", "src", "azurite.js");

    /// <summary>The repository root: the nearest folder holding <see cref="EntryPoint"/>, above the working directory or the program.</summary>
    /// <exception cref="FileNotFoundException">Azurite is not installed.</exception>
    public static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, EntryPoint)))
                {
                    return dir.FullName;
                }
            }
        }

        throw new FileNotFoundException(
            $"Azurite is not installed: no {EntryPoint} above {Directory.GetCurrentDirectory()}. " +
            "Run ./build.sh dev from the repository root (it runs npm ci), or pass --storage-connection-string to use other storage.");
    }
}
