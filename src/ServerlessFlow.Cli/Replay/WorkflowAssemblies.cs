using System.Reflection;

namespace ServerlessFlow.Cli.Replay;

/// <summary>Finds the workflow classes (marked <c>[Workflow]</c>) in assemblies given on the command line.</summary>
internal static class WorkflowAssemblies
{
    /// <summary>Loads each assembly in its own context and returns every workflow class in them.</summary>
    /// <exception cref="UsageException">A path is not a loadable .NET assembly, or the assemblies hold no workflow.</exception>
    public static IReadOnlyList<Type> FindWorkflows(IEnumerable<FileInfo> assemblies)
    {
        var workflows = new List<Type>();
        foreach (var file in assemblies)
        {
            if (!file.Exists)
            {
                throw new UsageException($"--assembly '{file.FullName}' does not exist; give the path of the built assembly (.dll) that holds the workflows.");
            }

            Assembly assembly;
            try
            {
                assembly = new WorkflowAssemblyLoadContext(file.FullName).LoadFromAssemblyPath(file.FullName);
            }
            catch (BadImageFormatException e)
            {
                throw new UsageException($"--assembly '{file.FullName}' is not a .NET assembly: {e.Message}");
            }

            workflows.AddRange(TypesOf(assembly).Where(t => t.IsClass && t.GetCustomAttribute<WorkflowAttribute>() is not null));
        }

        return workflows.Count > 0
            ? workflows
            : throw new UsageException("No class marked [Workflow] was found in the given assemblies; pass the assembly that defines the workflow (--assembly).");
    }

    private static IEnumerable<Type> TypesOf(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            // Types whose dependencies are missing cannot be workflows the replayer could run anyway; the rest still are.
            return e.Types.OfType<Type>();
        }
    }
}
