using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace ServerlessFlow.Engine.Execution;

/// <summary>Names, from a stack trace taken where a guard fired, the API that workflow code called and the workflow method that called it.</summary>
internal static class WorkflowCallSite
{
    private static readonly Assembly[] EngineAssemblies = [typeof(Workflow).Assembly, typeof(WorkflowCallSite).Assembly];

    /// <summary>"Task.Delay, called from OrderWorkflow.RunAsync", or null when no user frame is on the stack.</summary>
    /// <remarks>
    /// Only names things in a message: in a trimmed or AOT app a frame whose method metadata is gone has no method, and the
    /// message then names fewer frames (or none) — the guard still fails the task.
    /// </remarks>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Names frames in a message only; a frame without metadata is skipped.")]
    public static string? Describe(StackTrace trace)
    {
        var frames = trace.GetFrames();
        for (var i = 0; i < frames.Length; i++)
        {
            if (frames[i].GetMethod() is { DeclaringType: { } type } method && IsUserCode(type))
            {
                var caller = Name(method);
                var api = i > 0 && frames[i - 1].GetMethod() is { } called ? Name(called) : null;
                return api is null ? $"called from {caller}" : $"{api}, called from {caller}";
            }
        }

        return null;
    }

    private static bool IsUserCode(Type type)
    {
        var assembly = type.Assembly;
        var name = assembly.GetName().Name ?? "";
        return !EngineAssemblies.Contains(assembly)
            && !name.StartsWith("System", StringComparison.Ordinal)
            && !name.StartsWith("Microsoft", StringComparison.Ordinal)
            && name is not ("mscorlib" or "netstandard");
    }

    /// <summary>Type.Method, with the compiler's async state machines and lambdas mapped back to the method they came from.</summary>
    private static string Name(MethodBase method)
    {
        var type = method.DeclaringType!;
        var methodName = method.Name;
        while (type.IsNested && type.Name.StartsWith('<'))
        {
            // <RunAsync>d__3.MoveNext → RunAsync; <>c.<RunAsync>b__3_0 → RunAsync
            methodName = Between(type.Name) ?? methodName;
            type = type.DeclaringType!;
        }

        return $"{type.Name}.{(methodName.StartsWith('<') ? Between(methodName) ?? methodName : methodName)}";
    }

    private static string? Between(string generatedName)
    {
        var end = generatedName.IndexOf('>', StringComparison.Ordinal);
        return generatedName.StartsWith('<') && end > 1 ? generatedName[1..end] : null;
    }
}
