using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Invocation;

namespace ServerlessFlow.Engine.Registry;

/// <summary>A registered activity: its name, the class it belongs to, how to create that class and how to call the method.</summary>
internal sealed record ActivityDefinition(string Name, Type Class, MemberInvoker Invoker)
{
    /// <summary>The object to call the method on, for an activity given as a delegate; null to create <see cref="Class"/> per call.</summary>
    public object? Instance { get; init; }

    /// <summary>Parameter types that carry arguments (a CancellationToken parameter is supplied by the worker).</summary>
    public IReadOnlyList<Type> ArgumentTypes => Invoker.ParameterTypes;

    /// <summary>The object to call the activity on, for one call: the delegate's target, or the class resolved from <paramref name="services"/> (the call's scope).</summary>
    public object CreateInstance(IServiceProvider services) =>
        Instance ?? services.GetRequiredService(Class);

    /// <summary>
    /// Calls the method with the arguments in <paramref name="input"/> (a JSON array) and awaits it; returns its result (null for
    /// none). Arguments that do not fit fail with a non-retryable <see cref="ApplicationFailureException"/>.
    /// </summary>
    public async Task<object?> InvokeAsync(object instance, JsonElement input, CancellationToken cancellationToken)
    {
        var values = input.ValueKind == JsonValueKind.Array ? input.EnumerateArray().ToList() : [];
        var task = Invoker.Invoke(instance, new InvocationArguments(values, missingReadsAsDefault: false, (_, error) => Mismatch(values.Count, error)), cancellationToken);
        await task;
        return Invoker.ResultOf(task);
    }

    private ApplicationFailureException Mismatch(int given, JsonException? error) => error is null
        ? new ApplicationFailureException(
            $"Activity '{Name}' expects {ArgumentTypes.Count} argument(s) but the workflow passed {given}.", "ActivityArgumentMismatch", nonRetryable: true)
        : new ApplicationFailureException(
            $"The arguments of activity '{Name}' do not match its parameters: {error.Message}", "ActivityArgumentMismatch", nonRetryable: true, inner: error);
}
