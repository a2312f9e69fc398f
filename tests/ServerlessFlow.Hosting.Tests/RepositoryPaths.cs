using System.Reflection;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>The repository root, baked in at build time.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = typeof(RepositoryPaths).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string Functions => Path.Combine(Root, "functions");
}
