namespace ServerlessFlow.Azurite;

/// <summary>Finds the repository and the Azurite its <c>package-lock.json</c> pins (installed by <c>npm ci</c>).</summary>
public static class AzuriteLocator
{
    /// <summary>Azurite's entry point, relative to the repository root.</summary>
    internal static readonly string EntryPoint = Path.Combine("node_modules", "azurite", "dist", "src", "azurite.js");

    /// <summary>
    /// The repository root: the nearest folder holding ServerlessFlow.sln and package.json, above the program
    /// (the clone that built it) or else above the working directory.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">Neither is inside a clone of the repository.</exception>
    public static string FindRepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "ServerlessFlow.sln")) && File.Exists(Path.Combine(directory.FullName, "package.json")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"No repository root (a folder with ServerlessFlow.sln and package.json) above '{AppContext.BaseDirectory}' or '{Directory.GetCurrentDirectory()}'. " +
            "Azurite is run from the repository's node_modules: run this program from a clone of the repository.");
    }

    /// <summary>The full path of Azurite's entry point under <paramref name="repositoryRoot"/>.</summary>
    /// <exception cref="FileNotFoundException">Azurite is not installed.</exception>
    internal static string FindEntryPoint(string repositoryRoot)
    {
        var script = Path.Combine(repositoryRoot, EntryPoint);
        return File.Exists(script)
            ? script
            : throw new FileNotFoundException(
                $"Azurite is not installed: '{script}' does not exist. Run `npm ci` in '{repositoryRoot}' " +
                "(./build.sh dev, ./build.sh test and ./build.sh bench run it for you), then try again.",
                script);
    }

    /// <summary>Azurite's entry point installed under <paramref name="folder"/> (in its node_modules), or null.</summary>
    internal static string? EntryPointUnder(string folder)
    {
        var script = Path.Combine(folder, EntryPoint);
        return File.Exists(script) ? script : null;
    }

    /// <summary><paramref name="script"/> when it exists.</summary>
    /// <exception cref="FileNotFoundException">It does not.</exception>
    internal static string RequireEntryPoint(string script) =>
        File.Exists(script)
            ? script
            : throw new FileNotFoundException($"Azurite's entry point '{script}' does not exist: install Azurite there (npm install azurite) or point to another.", script);
}
