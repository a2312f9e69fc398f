namespace ServerlessFlow.Generators;

/// <summary>A parameter as the stub declares it: its C# name and fully qualified type.</summary>
internal sealed record Parameter(string Name, string Type);

/// <summary>
/// Where a generated class goes and who may see it: the namespace of the user's class (empty for the global
/// namespace), and "public" or "internal" as the class's own accessibility allows.
/// </summary>
internal sealed record Placement(string Namespace, string Accessibility);

/// <summary>An [Activity] method: the name it is called by, its typed shape (<see cref="ResultType"/> null for none), and how the worker calls it.</summary>
internal sealed record ActivityMethod(string StubName, string ActivityName, string? ResultType, EquatableArray<Parameter> Parameters, MemberCall Call);

/// <summary>
/// A class with [Activity] methods, its own and inherited ones; <see cref="Invocable"/> false when its invokers are not generated
/// (two methods share an activity name, which the registry reports), so the registration reads it through reflection.
/// </summary>
/// <remarks>
/// <see cref="Constructor"/> is the argument list of the one public constructor as read from the call's services
/// (<c>global::…GetRequiredService&lt;A&gt;(services)</c>), or null when the container must choose (several public constructors,
/// or a parameter with a default value or an attribute the container reads).
/// </remarks>
internal sealed record ActivityClass(Placement Placement, string ClassName, string FullType, bool Invocable, EquatableArray<ActivityMethod> Methods, EquatableArray<string>? Constructor);

/// <summary>What kind of handler a <see cref="Handler"/> is.</summary>
internal enum HandlerKind
{
    Signal,
    Query,
    Update,
}

/// <summary>A signal, query or update handler of a workflow: the identifier its stub takes, the name it is called by, its argument and result, and how the worker calls it.</summary>
internal sealed record Handler(HandlerKind Kind, string StubName, string RegisteredName, Parameter? Argument, string? ResultType, MemberCall Call);

/// <summary>
/// A [Workflow] class: its type name, the run method's input and result, its handlers (inherited ones too), the exception types
/// that fail it (as <c>typeof</c> expressions), and how the worker creates it and calls its members. <see cref="Invocable"/> is
/// false when its definition is not generated (no public parameterless constructor, or two handlers of a kind share a name: the
/// registry reports both), so the registration reads it through reflection.
/// </summary>
internal sealed record WorkflowClass(
    Placement Placement, string ClassName, string FullType, string TypeName, Parameter? Input, string? ResultType, EquatableArray<Handler> Handlers,
    bool Invocable, MemberCall Run, EquatableArray<Validator> Validators, EquatableArray<string> FailureExceptionTypes);

/// <summary>
/// How the worker calls a member: its C# name, whether it is a property (read, not called), the <c>MemberInvoker</c> factory
/// for its return type (<c>FromTask&lt;T&gt;</c>), the expression passed for each parameter, and the <c>typeof</c> of each
/// parameter that takes an argument (what callers' payloads are checked against).
/// </summary>
internal sealed record MemberCall(string Member, bool IsProperty, string Factory, EquatableArray<string> Arguments, EquatableArray<string> ParameterTypes);

/// <summary>An update validator: the registered name of the update it validates, and how to call it.</summary>
internal sealed record Validator(string UpdateName, MemberCall Call);
