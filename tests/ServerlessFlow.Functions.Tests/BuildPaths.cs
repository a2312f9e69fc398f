using System.Reflection;

namespace ServerlessFlow.Functions.Tests;

/// <summary>Paths baked in at build time: the Functions SDK's output for the app, and the repository root.</summary>
internal static class BuildPaths
{
    public static string FunctionsMetadata { get; } = Metadata("FunctionsMetadata");

    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    private static string Metadata(string key) => typeof(BuildPaths).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == key).Value!;
}
