namespace ServerlessFlow;

/// <summary>Marks a class as a workflow definition. The class needs exactly one <see cref="WorkflowRunAttribute"/> method.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WorkflowAttribute : Attribute
{
    /// <summary>Creates the attribute; the workflow type name defaults to the class name.</summary>
    public WorkflowAttribute(string? name = null) => Name = name;

    /// <summary>The workflow type name used to start it; the class name when null.</summary>
    public string? Name { get; }

    /// <summary>
    /// Exception types that fail the workflow when its code throws them (or a type derived from them), as Temporal's
    /// <c>FailureExceptionTypes</c>. Any other exception that is not a failure exception (<see cref="ApplicationFailureException"/>,
    /// or the <see cref="ActivityFailureException"/> and <see cref="ChildWorkflowFailureException"/> the code let through) is
    /// taken for a bug: it fails the workflow <em>task</em>, which is retried with back-off and shown as
    /// <see cref="WorkflowDescription.LastTaskFailure"/> until corrected code is deployed; the workflow stays running.
    /// </summary>
    /// <remarks>WARNING: changing this list changes what happens to runs in flight the next time their code throws.</remarks>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "Attribute arguments can only be arrays.")]
    public Type[] FailureExceptionTypes { get; set; } = [];
}

/// <summary>Marks the entry point of a workflow: an instance method returning <see cref="Task"/> or <see cref="Task{T}"/> with at most one parameter.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class WorkflowRunAttribute : Attribute
{
}

/// <summary>Marks a method as an activity. Its class is created through dependency injection for every call.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ActivityAttribute : Attribute
{
    /// <summary>Creates the attribute; the activity name defaults to the method name (without an Async suffix).</summary>
    public ActivityAttribute(string? name = null) => Name = name;

    /// <summary>The activity name recorded in history; the method name without "Async" when null.</summary>
    public string? Name { get; }
}

/// <summary>Marks a method as a signal handler: called, durably and in order, when the workflow receives that signal. Returns void or Task; at most one parameter.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class WorkflowSignalAttribute : Attribute
{
    /// <summary>Creates the attribute; the signal name defaults to the method name (without an Async suffix).</summary>
    public WorkflowSignalAttribute(string? name = null) => Name = name;

    /// <summary>The signal name; the method name without "Async" when null.</summary>
    public string? Name { get; }
}

/// <summary>Marks a method (at most one parameter) or property as a query: answered from the workflow's current state without writing history.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, Inherited = false)]
public sealed class WorkflowQueryAttribute : Attribute
{
    /// <summary>Creates the attribute; the query name defaults to the member name.</summary>
    public WorkflowQueryAttribute(string? name = null) => Name = name;

    /// <summary>The query name; the member name when null.</summary>
    public string? Name { get; }
}

/// <summary>
/// Marks a method as an update handler: it may change state and await activities, and its result (or
/// failure) is returned to the caller. Returns Task or Task&lt;T&gt;; at most one parameter.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class WorkflowUpdateAttribute : Attribute
{
    /// <summary>Creates the attribute; the update name defaults to the method name (without an Async suffix).</summary>
    public WorkflowUpdateAttribute(string? name = null) => Name = name;

    /// <summary>The update name; the method name without "Async" when null.</summary>
    public string? Name { get; }
}

/// <summary>
/// Marks the validator of an update: a void method taking the update's parameter that throws to reject
/// it. A rejected update leaves no trace in history. It must not change state.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class WorkflowUpdateValidatorAttribute : Attribute
{
    /// <summary>Creates the attribute for the update method named <paramref name="updateMethod"/> (use nameof).</summary>
    public WorkflowUpdateValidatorAttribute(string updateMethod) => UpdateMethod = updateMethod;

    /// <summary>The name of the update method this validates.</summary>
    public string UpdateMethod { get; }
}
