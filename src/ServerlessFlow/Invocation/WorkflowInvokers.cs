namespace ServerlessFlow.Invocation;

/// <summary>
/// Everything the worker calls on one workflow class: its constructor, its run method, and its signal, query and update
/// handlers and update validators by registered name. The source generator writes one per [Workflow] class and hands it to
/// the registration (<c>AddWorkflow&lt;T&gt;(invokers)</c>).
/// </summary>
/// <remarks>
/// The invokers are the whole definition: the registry takes the type name, the handlers and the failure exception types from
/// here and reads nothing from the class (its attributes included), so registering needs no reflection. The source generator
/// writes them from the same attributes the analyzers check.
/// </remarks>
/// <param name="Name">The workflow type name: the <c>[Workflow("name")]</c>, or the class name.</param>
/// <param name="Create">Creates a fresh workflow object (the class's public parameterless constructor).</param>
/// <param name="Run">Calls the [WorkflowRun] method.</param>
public sealed record WorkflowInvokers(string Name, Func<object> Create, MemberInvoker Run)
{
    /// <summary>The exception types that fail the workflow rather than its task (<see cref="WorkflowAttribute.FailureExceptionTypes"/>).</summary>
    public IReadOnlyList<Type> FailureExceptionTypes { get; init; } = [];

    /// <summary>Signal handlers by signal name.</summary>
    public IReadOnlyDictionary<string, MemberInvoker> Signals { get; init; } = new Dictionary<string, MemberInvoker>();

    /// <summary>Query methods and properties by query name.</summary>
    public IReadOnlyDictionary<string, MemberInvoker> Queries { get; init; } = new Dictionary<string, MemberInvoker>();

    /// <summary>Update handlers by update name.</summary>
    public IReadOnlyDictionary<string, MemberInvoker> Updates { get; init; } = new Dictionary<string, MemberInvoker>();

    /// <summary>Update validators by the name of the update they validate.</summary>
    public IReadOnlyDictionary<string, MemberInvoker> UpdateValidators { get; init; } = new Dictionary<string, MemberInvoker>();
}
