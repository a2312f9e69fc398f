using System.Linq.Expressions;
using System.Reflection;

namespace ServerlessFlow;

/// <summary>
/// Reads a handler name and argument from a lambda over a workflow, such as <c>wf =&gt; wf.ApproveAsync(decision)</c> or
/// <c>wf =&gt; wf.Status</c>, checking that the member is marked as that kind of handler.
/// </summary>
internal static class HandlerCall
{
    /// <summary>The signal's name and argument.</summary>
    public static (string Name, object? Argument) Signal(LambdaExpression call) => Parse<WorkflowSignalAttribute>(call, "signal", "[WorkflowSignal]");

    /// <summary>The query's name and argument (null for a property).</summary>
    public static (string Name, object? Argument) Query(LambdaExpression call) => Parse<WorkflowQueryAttribute>(call, "query", "[WorkflowQuery]");

    /// <summary>The update's name and argument.</summary>
    public static (string Name, object? Argument) Update(LambdaExpression call) => Parse<WorkflowUpdateAttribute>(call, "update", "[WorkflowUpdate]");

    private static (string Name, object? Argument) Parse<TAttribute>(LambdaExpression call, string kind, string attribute)
        where TAttribute : Attribute
    {
        ArgumentNullException.ThrowIfNull(call);
        (MemberInfo member, IReadOnlyList<Expression> arguments) = call.Body switch
        {
            MethodCallExpression { Object: ParameterExpression } method => ((MemberInfo)method.Method, (IReadOnlyList<Expression>)method.Arguments),
            MemberExpression { Expression: ParameterExpression, Member: PropertyInfo property } => ((MemberInfo)property, (IReadOnlyList<Expression>)[]),
            _ => throw new ArgumentException($"Pass a lambda that calls one {kind} handler on its parameter, e.g. wf => wf.ApproveAsync(decision).", nameof(call)),
        };

        var name = DefinitionNames.HandlerOf<TAttribute>(member)
            ?? throw new ArgumentException($"{member.DeclaringType?.Name}.{member.Name} is not a {kind} handler: mark it with {attribute}.", nameof(call));
        return (name, arguments.Count == 1 ? ArgumentValue.Of(arguments[0]) : null);
    }
}
