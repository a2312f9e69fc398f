using System.Reflection;

namespace ServerlessFlow.Engine.Registry;

/// <summary>A registered workflow class: its type name and how to run it.</summary>
internal sealed record WorkflowDefinition(string Name, Type Class, MethodInfo RunMethod)
{
    /// <summary>Signal handlers by signal name.</summary>
    public IReadOnlyDictionary<string, MethodInfo> Signals { get; init; } = new Dictionary<string, MethodInfo>();

    /// <summary>Update handlers by update name, with their validators (null when none).</summary>
    public IReadOnlyDictionary<string, (MethodInfo Handler, MethodInfo? Validator)> Updates { get; init; } = new Dictionary<string, (MethodInfo, MethodInfo?)>();

    /// <summary>Query methods and properties by query name.</summary>
    public IReadOnlyDictionary<string, MemberInfo> Queries { get; init; } = new Dictionary<string, MemberInfo>();

    /// <summary>The result type inside the returned Task; null for a plain Task.</summary>
    public Type? ResultType { get; } = RunMethod.ReturnType.IsGenericType ? RunMethod.ReturnType.GetGenericArguments()[0] : null;

    /// <summary>Creates a fresh workflow object for a run.</summary>
    public object CreateInstance() => Activator.CreateInstance(Class)!;
}
