namespace ServerlessFlow.Invocation;

/// <summary>
/// How the worker calls one member of a workflow or activity class — a run method, signal, query, update, validator or
/// activity — given the object and the call's <see cref="InvocationArguments"/>. The source generator writes one per member
/// as a direct call (<c>MemberInvoker.FromTask&lt;string&gt;(static (instance, arguments, cancellationToken) =&gt;
/// ((OrderWorkflow)instance).RunAsync(arguments.Get&lt;Order&gt;(0)))</c>), so a generated registration calls nothing
/// through reflection; a class registered by hand gets invokers over its methods' reflection metadata instead.
/// </summary>
/// <remarks>
/// Exceptions thrown by the member surface as themselves, whether it throws before returning or faults the task it returns.
/// </remarks>
public abstract class MemberInvoker
{
    internal MemberInvoker(bool returnsValue, IReadOnlyList<Type> parameterTypes)
    {
        ReturnsValue = returnsValue;
        ParameterTypes = parameterTypes;
    }

    /// <summary>True when the member gives a result: it returns <c>T</c>, <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>.</summary>
    public bool ReturnsValue { get; }

    /// <summary>
    /// The types of the parameters that take arguments, in order (a CancellationToken parameter takes none): what a caller's
    /// payload is checked against before anything is recorded. Empty when the invoker was written without them.
    /// </summary>
    public IReadOnlyList<Type> ParameterTypes { get; }

    /// <summary>
    /// Calls the member: returns the task it returned (a <c>ValueTask</c> as a task), or a completed task holding what a
    /// synchronous member returned. What a member throws before returning is thrown here, unwrapped.
    /// </summary>
    internal abstract Task Invoke(object instance, InvocationArguments arguments, CancellationToken cancellationToken);

    /// <summary>The result held by a task <see cref="Invoke"/> returned, once it ran to completion; null when <see cref="ReturnsValue"/> is false.</summary>
    internal abstract object? ResultOf(Task completed);

    /// <summary>An invoker of a member returning <see cref="Task"/>.</summary>
    /// <param name="call">Calls the member on the instance with the arguments read from <see cref="InvocationArguments"/>.</param>
    /// <param name="parameterTypes">The types of the parameters that take arguments (see <see cref="ParameterTypes"/>).</param>
    public static MemberInvoker FromTask(Func<object, InvocationArguments, CancellationToken, Task> call, params Type[] parameterTypes) =>
        new Typed<object?>(returnsValue: false, parameterTypes, Checked(call));

    /// <summary>An invoker of a member returning <see cref="Task{TResult}"/>.</summary>
    /// <typeparam name="TResult">The member's result type.</typeparam>
    /// <param name="call">Calls the member on the instance with the arguments read from <see cref="InvocationArguments"/>.</param>
    /// <param name="parameterTypes">The types of the parameters that take arguments (see <see cref="ParameterTypes"/>).</param>
    public static MemberInvoker FromTask<TResult>(Func<object, InvocationArguments, CancellationToken, Task<TResult>> call, params Type[] parameterTypes) =>
        new Typed<TResult>(returnsValue: true, parameterTypes, Checked(call));

    /// <summary>An invoker of a member returning <see cref="ValueTask"/>.</summary>
    /// <param name="call">Calls the member on the instance with the arguments read from <see cref="InvocationArguments"/>.</param>
    /// <param name="parameterTypes">The types of the parameters that take arguments (see <see cref="ParameterTypes"/>).</param>
    public static MemberInvoker FromValueTask(Func<object, InvocationArguments, CancellationToken, ValueTask> call, params Type[] parameterTypes)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new Typed<object?>(returnsValue: false, parameterTypes, (instance, arguments, token) => call(instance, arguments, token).AsTask());
    }

    /// <summary>An invoker of a member returning <see cref="ValueTask{TResult}"/>.</summary>
    /// <typeparam name="TResult">The member's result type.</typeparam>
    /// <param name="call">Calls the member on the instance with the arguments read from <see cref="InvocationArguments"/>.</param>
    /// <param name="parameterTypes">The types of the parameters that take arguments (see <see cref="ParameterTypes"/>).</param>
    public static MemberInvoker FromValueTask<TResult>(Func<object, InvocationArguments, CancellationToken, ValueTask<TResult>> call, params Type[] parameterTypes)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new Typed<TResult>(returnsValue: true, parameterTypes, (instance, arguments, token) => call(instance, arguments, token).AsTask());
    }

    /// <summary>An invoker of a synchronous member with a result: a method returning <typeparamref name="TResult"/>, or a query property.</summary>
    /// <typeparam name="TResult">The member's result type.</typeparam>
    /// <param name="call">Calls the member on the instance with the arguments read from <see cref="InvocationArguments"/>.</param>
    /// <param name="parameterTypes">The types of the parameters that take arguments (see <see cref="ParameterTypes"/>).</param>
    public static MemberInvoker FromResult<TResult>(Func<object, InvocationArguments, CancellationToken, TResult> call, params Type[] parameterTypes)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new Typed<TResult>(returnsValue: true, parameterTypes, (instance, arguments, token) => Task.FromResult(call(instance, arguments, token)));
    }

    /// <summary>An invoker of a method returning <c>void</c>.</summary>
    /// <param name="call">Calls the member on the instance with the arguments read from <see cref="InvocationArguments"/>.</param>
    /// <param name="parameterTypes">The types of the parameters that take arguments (see <see cref="ParameterTypes"/>).</param>
    public static MemberInvoker FromAction(Action<object, InvocationArguments, CancellationToken> call, params Type[] parameterTypes)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new Typed<object?>(returnsValue: false, parameterTypes, (instance, arguments, token) =>
        {
            call(instance, arguments, token);
            return Task.CompletedTask;
        });
    }

    private static Func<object, InvocationArguments, CancellationToken, Task> Checked(Func<object, InvocationArguments, CancellationToken, Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call;
    }

    /// <summary>A generated invoker: the task's result type is known, so reading it needs no reflection.</summary>
    private sealed class Typed<TResult>(bool returnsValue, IReadOnlyList<Type> parameterTypes, Func<object, InvocationArguments, CancellationToken, Task> call)
        : MemberInvoker(returnsValue, parameterTypes)
    {
        internal override Task Invoke(object instance, InvocationArguments arguments, CancellationToken cancellationToken) =>
            call(instance, arguments, cancellationToken);

        internal override object? ResultOf(Task completed) => ReturnsValue ? ((Task<TResult>)completed).Result : null;
    }
}
