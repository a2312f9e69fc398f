using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using ServerlessFlow.Invocation;

namespace ServerlessFlow.Engine.Registry;

/// <summary>
/// The invoker of a member registered without generated code (<c>AddWorkflow&lt;T&gt;()</c>, <c>AddActivities&lt;T&gt;()</c>, an
/// activity replaced by a delegate): it calls the method or reads the property through its reflection metadata.
/// </summary>
internal sealed class ReflectionInvoker : MemberInvoker
{
    /// <summary>
    /// The AppContext switch that makes a reflection call throw instead, naming the member: so a test (or an AOT build) can prove
    /// its registration calls nothing through reflection.
    /// </summary>
    public const string DisallowSwitch = "ServerlessFlow.DisallowReflectionInvoke";

    /// <summary>
    /// A reflection invoker is made only for classes registered by hand, through entry points marked [RequiresUnreferencedCode]:
    /// a trimmed or AOT app that registers one was warned there. The members it reads here (Task&lt;T&gt;.Result,
    /// ValueTask&lt;T&gt;.AsTask) belong to types the member's own signature keeps.
    /// </summary>
    private const string TrimmingJustification = "Reached only through [RequiresUnreferencedCode] registrations.";

    private readonly MemberInfo member;
    private readonly ParameterInfo[] parameters;

    public ReflectionInvoker(MethodInfo method)
        : base(ReturnsValueOf(method.ReturnType), method.GetParameters().Select(p => p.ParameterType).Where(t => t != typeof(CancellationToken)).ToArray())
    {
        member = method;
        parameters = method.GetParameters();
    }

    public ReflectionInvoker(PropertyInfo property)
        : base(returnsValue: true, [])
    {
        member = property;
        parameters = [];
    }

    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = TrimmingJustification)]
    internal override Task Invoke(object instance, InvocationArguments arguments, CancellationToken cancellationToken)
    {
        if (AppContext.TryGetSwitch(DisallowSwitch, out var disallowed) && disallowed)
        {
            throw new InvalidOperationException(
                $"{member.DeclaringType?.Name}.{member.Name} would be called through reflection, which the AppContext switch '{DisallowSwitch}' disallows. " +
                "Register the class with the source generator's AddGeneratedDefinitions() so its calls are generated.");
        }

        if (member is PropertyInfo property)
        {
            return Task.FromResult(property.GetValue(instance, BindingFlags.DoNotWrapExceptions, null, null, null));
        }

        var returned = ((MethodInfo)member).Invoke(instance, BindingFlags.DoNotWrapExceptions, null, Bind(arguments, cancellationToken), null);
        return returned switch
        {
            Task task => task,
            ValueTask valueTask => valueTask.AsTask(),
            { } value when value.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(ValueTask<>) =>
                (Task)type.GetMethod(nameof(ValueTask<object>.AsTask))!.Invoke(value, null)!,
            _ => Task.FromResult(returned),
        };
    }

    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = TrimmingJustification)]
    internal override object? ResultOf(Task completed) => ReturnsValue ? completed.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(completed) : null;

    /// <summary>The argument list: a CancellationToken parameter gets the call's token; the others read the arguments in order.</summary>
    private object?[] Bind(InvocationArguments arguments, CancellationToken cancellationToken)
    {
        var bound = new object?[parameters.Length];
        var next = 0;
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            bound[i] = parameter.ParameterType == typeof(CancellationToken)
                ? cancellationToken
                : arguments.Get(next++, parameter.ParameterType, parameter.HasDefaultValue, parameter.DefaultValue);
        }

        return bound;
    }

    private static bool ReturnsValueOf(Type returnType) =>
        returnType != typeof(void) && returnType != typeof(Task) && returnType != typeof(ValueTask);
}
