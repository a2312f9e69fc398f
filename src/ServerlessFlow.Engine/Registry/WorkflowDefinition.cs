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

    /// <summary>Exception types that fail the workflow rather than its task (<see cref="WorkflowAttribute.FailureExceptionTypes"/>).</summary>
    public IReadOnlyList<Type> FailureExceptionTypes { get; init; } = [];

    /// <summary>
    /// True when <paramref name="exception"/>, thrown by the workflow's code, fails the workflow: a failure exception (an application
    /// failure, or an activity's, child's or update's failure let through) or one of <see cref="FailureExceptionTypes"/>. Anything else
    /// is a bug in the code: it fails the workflow task, which is retried until corrected code is deployed (Temporal's rule).
    /// </summary>
    public bool FailsWorkflow(Exception exception) =>
        exception is ApplicationFailureException or ServerlessFlowFailureException
        || FailureExceptionTypes.Any(type => type.IsInstanceOfType(exception));

    /// <summary>The result type inside the returned Task; null for a plain Task.</summary>
    public Type? ResultType { get; } = RunMethod.ReturnType.IsGenericType ? RunMethod.ReturnType.GetGenericArguments()[0] : null;

    /// <summary>Creates a fresh workflow object for a run.</summary>
    public object CreateInstance() => Activator.CreateInstance(Class)!;
}
