namespace ServerlessFlow;

/// <summary>Marks a class as a workflow definition. The class needs exactly one <see cref="WorkflowRunAttribute"/> method.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WorkflowAttribute : Attribute
{
    /// <summary>Creates the attribute; the workflow type name defaults to the class name.</summary>
    public WorkflowAttribute(string? name = null) => Name = name;

    /// <summary>The workflow type name used to start it; the class name when null.</summary>
    public string? Name { get; }
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
