using System.Reflection;

namespace ServerlessFlow.Engine.Registry;

/// <summary>A registered activity method: its name and how to call it.</summary>
internal sealed record ActivityDefinition(string Name, Type Class, MethodInfo Method)
{
    /// <summary>The object to call <see cref="Method"/> on, for an activity given as a delegate; null to create <see cref="Class"/> through DI per call.</summary>
    public object? Instance { get; init; }

    /// <summary>Parameter types that carry arguments (a CancellationToken parameter is supplied by the worker).</summary>
    public IReadOnlyList<Type> ArgumentTypes { get; } =
        Method.GetParameters().Select(p => p.ParameterType).Where(t => t != typeof(CancellationToken)).ToArray();

    /// <summary>Builds the argument list for the method from the deserialized arguments.</summary>
    public object?[] BindArguments(IReadOnlyList<object?> args, CancellationToken cancellationToken)
    {
        var parameters = Method.GetParameters();
        var bound = new object?[parameters.Length];
        var next = 0;
        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].ParameterType == typeof(CancellationToken))
            {
                bound[i] = cancellationToken;
            }
            else if (next < args.Count)
            {
                bound[i] = args[next++];
            }
            else if (parameters[i].HasDefaultValue)
            {
                bound[i] = parameters[i].DefaultValue;
            }
            else
            {
                throw new ApplicationFailureException(
                    $"Activity '{Name}' expects {ArgumentTypes.Count} argument(s) but the workflow passed {args.Count}.",
                    "ActivityArgumentMismatch", nonRetryable: true);
            }
        }

        return bound;
    }

    /// <summary>Invokes the method and awaits it; returns its result (null for Task or void).</summary>
    public async Task<object?> InvokeAsync(object instance, object?[] arguments)
    {
        object? returned;
        try
        {
            returned = Method.Invoke(instance, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }

        switch (returned)
        {
            case Task task:
                await task;
                var type = task.GetType();
                return type.IsGenericType && Method.ReturnType.IsGenericType ? type.GetProperty("Result")!.GetValue(task) : null;
            case ValueTask valueTask:
                await valueTask;
                return null;
            default:
                return returned;
        }
    }
}
