using System.Reflection;
using System.Runtime.Loader;

namespace ServerlessFlow.Cli.Replay;

/// <summary>
/// Loads a user's workflow assembly with its own dependencies (from its directory and <c>.deps.json</c>) while sharing
/// the ServerlessFlow assemblies with the tool, so the workflow classes' <c>[Workflow]</c> attributes and
/// <c>Workflow</c> facade are the very types the tool's replayer knows.
/// </summary>
internal sealed class WorkflowAssemblyLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver resolver;
    private readonly string directory;

    /// <summary>Creates a context for the assembly at <paramref name="assemblyPath"/>.</summary>
    public WorkflowAssemblyLoadContext(string assemblyPath)
        : base($"replay:{Path.GetFileName(assemblyPath)}", isCollectible: false)
    {
        resolver = new AssemblyDependencyResolver(assemblyPath);
        directory = Path.GetDirectoryName(assemblyPath)!;
    }

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Two copies of ServerlessFlow.dll would give two WorkflowAttribute types: the replayer would find no workflows.
        if (IsShared(assemblyName))
        {
            return null;
        }

        var path = resolver.ResolveAssemblyToPath(assemblyName);
        if (path is null)
        {
            // An assembly built without a .deps.json (or copied alone) keeps its dependencies beside it.
            var beside = Path.Combine(directory, assemblyName.Name + ".dll");
            path = File.Exists(beside) ? beside : null;
        }

        return path is null ? null : LoadFromAssemblyPath(path);
    }

    private static bool IsShared(AssemblyName name) =>
        name.Name is { } simple
        && (simple == "ServerlessFlow" || simple.StartsWith("ServerlessFlow.Engine", StringComparison.Ordinal)
            || simple.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal));
}
