namespace ServerlessFlow.Generators;

/// <summary>A parameter as the stub declares it: its C# name and fully qualified type.</summary>
internal sealed record Parameter(string Name, string Type);

/// <summary>
/// Where a generated class goes and who may see it: the namespace of the user's class (empty for the global
/// namespace), and "public" or "internal" as the class's own accessibility allows.
/// </summary>
internal sealed record Placement(string Namespace, string Accessibility);

/// <summary>An [Activity] method: the name it is called by and its typed shape (<see cref="ResultType"/> null for none).</summary>
internal sealed record ActivityMethod(string StubName, string ActivityName, string? ResultType, EquatableArray<Parameter> Parameters);

/// <summary>A class with [Activity] methods.</summary>
internal sealed record ActivityClass(Placement Placement, string ClassName, string FullType, EquatableArray<ActivityMethod> Methods);

/// <summary>What kind of handler a <see cref="Handler"/> is.</summary>
internal enum HandlerKind
{
    Signal,
    Query,
    Update,
}

/// <summary>A signal, query or update handler of a workflow: the identifier its stub takes, the name it is called by, its argument and result.</summary>
internal sealed record Handler(HandlerKind Kind, string StubName, string RegisteredName, Parameter? Argument, string? ResultType);

/// <summary>A [Workflow] class: its type name, the run method's input and result, and its handlers.</summary>
internal sealed record WorkflowClass(
    Placement Placement, string ClassName, string FullType, string TypeName, Parameter? Input, string? ResultType, EquatableArray<Handler> Handlers);
