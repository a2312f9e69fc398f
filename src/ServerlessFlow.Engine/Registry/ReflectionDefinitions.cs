using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using ServerlessFlow.Invocation;

namespace ServerlessFlow.Engine.Registry;

/// <summary>
/// Definitions read from a class's attributes and members through reflection: for classes registered by hand
/// (<c>AddWorkflow&lt;T&gt;()</c>, <c>AddActivities&lt;T&gt;()</c>), with invokers that call through reflection. A generated
/// registration reads nothing here.
/// </summary>
internal static class ReflectionDefinitions
{
    /// <summary>Why this path is not trimming-safe, as every entry point that reaches it says.</summary>
    public const string Reason =
        "Reads the class's attributes and members through reflection, which trimming may remove. Register the assembly's classes with the " +
        "source generator's AddGeneratedDefinitions() instead.";

    /// <summary>The workflow definition of <paramref name="type"/>, or null after adding every problem it has.</summary>
    [RequiresUnreferencedCode(Reason)]
    public static WorkflowDefinition? Workflow(Type type, List<string> problems) => DefineWorkflow(type, problems);

    /// <summary>The activity definitions of <paramref name="type"/>'s [Activity] methods; none after adding every problem it has.</summary>
    [RequiresUnreferencedCode(Reason)]
    public static List<ActivityDefinition> Activities(Type type, List<string> problems) => DefineActivities(type, problems);

    /// <summary>An activity given as a delegate (a test's fake), called through reflection; null after adding its problem.</summary>
    [RequiresUnreferencedCode(Reason)]
    public static ActivityDefinition? Replacement(string name, Delegate implementation, List<string> problems)
    {
        if (implementation.Target is null)
        {
            problems.Add($"The replacement of activity '{name}' is a static method; pass a lambda (e.g. (string to) => Task.CompletedTask).");
            return null;
        }

        return new ActivityDefinition(name, implementation.Target.GetType(), new ReflectionInvoker(implementation.Method)) { Instance = implementation.Target };
    }

    [RequiresUnreferencedCode(Reason)]
    private static WorkflowDefinition? DefineWorkflow(Type type, List<string> problems)
    {
        var count = problems.Count;
        var attribute = type.GetCustomAttribute<WorkflowAttribute>();
        if (attribute is null)
        {
            problems.Add($"{type.FullName} is registered as a workflow but has no [Workflow] attribute.");
        }

        if (type.IsAbstract || type.IsGenericTypeDefinition)
        {
            problems.Add($"Workflow {type.FullName} must be a concrete, non-generic class.");
        }
        else if (type.GetConstructor(Type.EmptyTypes) is null)
        {
            problems.Add($"Workflow {type.FullName} needs a public parameterless constructor: workflows are re-created on every replay and take no services (call activities for I/O).");
        }

        var runs = type.GetMethods(BindingFlags.Instance | BindingFlags.Public).Where(m => m.IsDefined(typeof(WorkflowRunAttribute))).ToList();
        if (runs.Count != 1)
        {
            problems.Add($"Workflow {type.FullName} must have exactly one public instance method marked [WorkflowRun]; it has {runs.Count}.");
            return null;
        }

        var run = runs[0];
        if (!typeof(Task).IsAssignableFrom(run.ReturnType))
        {
            problems.Add($"{type.Name}.{run.Name} ([WorkflowRun]) must return Task or Task<T>.");
        }

        if (run.GetParameters().Length > 1)
        {
            problems.Add($"{type.Name}.{run.Name} ([WorkflowRun]) takes {run.GetParameters().Length} parameters; use at most one (wrap several values in a record).");
        }

        var signals = Handlers<WorkflowSignalAttribute>(type, a => a.Name, "signal", problems);
        var queries = Handlers<WorkflowQueryAttribute>(type, a => a.Name, "query", problems);
        foreach (var signal in signals.Values.OfType<MethodInfo>().Where(m => m.ReturnType != typeof(void) && m.ReturnType != typeof(Task)))
        {
            problems.Add($"Signal handler {type.Name}.{signal.Name} must return void or Task: a signal has no result (use an update for that).");
        }

        foreach (var query in queries.Values.OfType<MethodInfo>().Where(m => typeof(Task).IsAssignableFrom(m.ReturnType) || m.ReturnType == typeof(void)))
        {
            problems.Add($"Query {type.Name}.{query.Name} must return a value synchronously: queries read state and cannot wait.");
        }

        var updates = Handlers<WorkflowUpdateAttribute>(type, a => a.Name, "update", problems).ToDictionary(p => p.Key, p => (MethodInfo)p.Value);
        foreach (var update in updates.Values.Where(m => !typeof(Task).IsAssignableFrom(m.ReturnType)))
        {
            problems.Add($"Update handler {type.Name}.{update.Name} must return Task or Task<T>.");
        }

        var validators = new Dictionary<string, MethodInfo>(StringComparer.Ordinal);
        foreach (var validator in type.GetMethods(BindingFlags.Instance | BindingFlags.Public).Where(m => m.IsDefined(typeof(WorkflowUpdateValidatorAttribute))))
        {
            var target = validator.GetCustomAttribute<WorkflowUpdateValidatorAttribute>()!.UpdateMethod;
            var handler = updates.FirstOrDefault(u => u.Value.Name == target);
            if (handler.Value is null)
            {
                problems.Add($"Validator {type.Name}.{validator.Name} names update method '{target}', which is not a [WorkflowUpdate] method of {type.Name}.");
            }
            else if (validator.ReturnType != typeof(void) || !validator.GetParameters().Select(p => p.ParameterType).SequenceEqual(handler.Value.GetParameters().Select(p => p.ParameterType)))
            {
                problems.Add($"Validator {type.Name}.{validator.Name} must return void and take the same parameters as {target}.");
            }
            else
            {
                validators[handler.Key] = validator;
            }
        }

        foreach (var failureType in attribute?.FailureExceptionTypes ?? [])
        {
            if (failureType is null || !typeof(Exception).IsAssignableFrom(failureType))
            {
                problems.Add($"[Workflow(FailureExceptionTypes = …)] of {type.FullName} names {failureType?.FullName ?? "null"}, which is not an exception type.");
            }
        }

        var name = DefinitionNames.Workflow(type);
        var invokers = new WorkflowInvokers(name, () => Activator.CreateInstance(type)!, new ReflectionInvoker(run))
        {
            Signals = signals.ToDictionary(p => p.Key, p => (MemberInvoker)new ReflectionInvoker((MethodInfo)p.Value), StringComparer.Ordinal),
            Queries = queries.ToDictionary(p => p.Key, p => p.Value is PropertyInfo property ? new ReflectionInvoker(property) : (MemberInvoker)new ReflectionInvoker((MethodInfo)p.Value), StringComparer.Ordinal),
            Updates = updates.ToDictionary(p => p.Key, p => (MemberInvoker)new ReflectionInvoker(p.Value), StringComparer.Ordinal),
            UpdateValidators = validators.ToDictionary(p => p.Key, p => (MemberInvoker)new ReflectionInvoker(p.Value), StringComparer.Ordinal),
            FailureExceptionTypes = attribute?.FailureExceptionTypes ?? [],
        };
        return problems.Count > count ? null : new WorkflowDefinition(name, type, invokers);
    }

    [RequiresUnreferencedCode(Reason)]
    private static Dictionary<string, MemberInfo> Handlers<TAttribute>(Type type, Func<TAttribute, string?> nameOf, string kind, List<string> problems)
        where TAttribute : Attribute
    {
        var handlers = new Dictionary<string, MemberInfo>(StringComparer.Ordinal);
        foreach (var member in type.GetMembers(BindingFlags.Instance | BindingFlags.Public).Where(m => m.IsDefined(typeof(TAttribute))))
        {
            var name = DefinitionNames.Handler(member, nameOf(member.GetCustomAttribute<TAttribute>()!));
            if (member is MethodInfo method && method.GetParameters().Length > 1)
            {
                problems.Add($"The {kind} {type.Name}.{member.Name} takes {method.GetParameters().Length} parameters; use at most one (wrap several values in a record).");
            }
            else if (!handlers.TryAdd(name, member))
            {
                problems.Add($"Workflow {type.Name} has two {kind} handlers named '{name}'.");
            }
        }

        return handlers;
    }

    [RequiresUnreferencedCode(Reason)]
    private static List<ActivityDefinition> DefineActivities(Type type, List<string> problems)
    {
        var methods = type.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.Static).Where(m => m.IsDefined(typeof(ActivityAttribute))).ToList();
        if (methods.Count == 0)
        {
            problems.Add($"{type.FullName} is registered for activities but has no public method marked [Activity].");
        }

        if (type.IsAbstract || type.IsGenericTypeDefinition)
        {
            problems.Add($"Activity class {type.FullName} must be a concrete, non-generic class.");
            return [];
        }

        var definitions = new List<ActivityDefinition>();
        foreach (var method in methods)
        {
            if (method.IsGenericMethodDefinition || method.IsStatic)
            {
                problems.Add($"Activity {type.Name}.{method.Name} must be a non-generic instance method.");
                continue;
            }

            if (method.GetParameters().Any(p => p.ParameterType.IsByRef))
            {
                problems.Add($"Activity {type.Name}.{method.Name} has a ref/out parameter; arguments travel as JSON, so use plain parameters.");
                continue;
            }

            definitions.Add(new ActivityDefinition(ActivityCall.NameOf(method), type, new ReflectionInvoker(method)));
        }

        return definitions;
    }
}
