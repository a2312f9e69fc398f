using ServerlessFlow.Engine.Visibility;
using ServerlessFlow.Invocation;
using System.Reflection;

namespace ServerlessFlow.Engine.Registry;

/// <summary>
/// Every workflow and activity this process knows, validated once at start-up. Validation collects
/// every problem before throwing, so one deploy shows them all.
/// </summary>
internal sealed class WorkflowRegistry
{
    private readonly Dictionary<string, WorkflowDefinition> workflows;
    private readonly Dictionary<string, ActivityDefinition> activities;

    private WorkflowRegistry(Dictionary<string, WorkflowDefinition> workflows, Dictionary<string, ActivityDefinition> activities, SearchAttributeRegistry searchAttributes)
    {
        this.workflows = workflows;
        this.activities = activities;
        SearchAttributes = searchAttributes;
    }

    /// <summary>The registered search attributes.</summary>
    public SearchAttributeRegistry SearchAttributes { get; }

    /// <summary>Registered workflow type names.</summary>
    public IEnumerable<string> WorkflowNames => workflows.Keys;

    /// <summary>Registered activity classes (for DI registration).</summary>
    public IEnumerable<Type> ActivityClasses => activities.Values.Where(a => a.Instance is null).Select(a => a.Class).Distinct();

    /// <summary>Looks up a workflow type.</summary>
    public WorkflowDefinition? FindWorkflow(string name) => workflows.GetValueOrDefault(name);

    /// <summary>Looks up an activity.</summary>
    public ActivityDefinition? FindActivity(string name) => activities.GetValueOrDefault(name);

    /// <summary>The workflow definition, or <see cref="UnknownWorkflowTypeException"/>.</summary>
    public WorkflowDefinition GetWorkflow(string name) => FindWorkflow(name) ?? throw new UnknownWorkflowTypeException(name, WorkflowNames);

    /// <summary>Builds and validates the registry; throws <see cref="WorkflowDefinitionException"/> listing every problem.</summary>
    /// <param name="workflowClasses">Workflow classes.</param>
    /// <param name="activityClasses">Classes whose [Activity] methods are activities.</param>
    /// <param name="searchAttributes">Registered search attributes.</param>
    /// <param name="replacements">Activities given as delegates; each replaces a class activity of the same name (tests' fakes).</param>
    /// <param name="generated">Invokers written by the source generator, by class; a class without them is called through reflection.</param>
    public static WorkflowRegistry Build(
        IEnumerable<Type> workflowClasses, IEnumerable<Type> activityClasses, IEnumerable<KeyValuePair<string, SearchAttributeType>>? searchAttributes = null,
        IEnumerable<KeyValuePair<string, Delegate>>? replacements = null, GeneratedInvokers? generated = null)
    {
        generated ??= GeneratedInvokers.None;
        var problems = new List<string>();
        var attributes = SearchAttributeRegistry.Build(searchAttributes ?? [], problems);
        var workflows = new Dictionary<string, WorkflowDefinition>(StringComparer.Ordinal);
        foreach (var type in workflowClasses.Distinct())
        {
            if (DefineWorkflow(type, generated.Workflows.GetValueOrDefault(type), problems) is { } definition && !workflows.TryAdd(definition.Name, definition))
            {
                problems.Add($"Workflow type name '{definition.Name}' is used by both {workflows[definition.Name].Class.FullName} and {type.FullName}; give one of them another name with [Workflow(\"name\")].");
            }
        }

        var activities = new Dictionary<string, ActivityDefinition>(StringComparer.Ordinal);
        foreach (var type in activityClasses.Distinct())
        {
            foreach (var definition in DefineActivities(type, generated.Activities.GetValueOrDefault(type), problems))
            {
                if (!activities.TryAdd(definition.Name, definition))
                {
                    var other = activities[definition.Name];
                    problems.Add($"Activity name '{definition.Name}' is used by both {other.Class.Name}.{other.Method.Name} and {type.Name}.{definition.Method.Name}; give one another name with [Activity(\"name\")].");
                }
            }
        }

        foreach (var (name, implementation) in replacements ?? [])
        {
            if (implementation.Target is null)
            {
                problems.Add($"The replacement of activity '{name}' is a static method; pass a lambda (e.g. (string to) => Task.CompletedTask).");
                continue;
            }

            activities[name] = new ActivityDefinition(name, implementation.Target.GetType(), implementation.Method) { Instance = implementation.Target };
        }

        return problems.Count > 0 ? throw new WorkflowDefinitionException(problems) : new WorkflowRegistry(workflows, activities, attributes);
    }

    private static WorkflowDefinition? DefineWorkflow(Type type, WorkflowInvokers? generated, List<string> problems)
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

        var invokers = generated ?? new WorkflowInvokers(() => Activator.CreateInstance(type)!, new ReflectionInvoker(run))
        {
            Signals = signals.ToDictionary(p => p.Key, p => (MemberInvoker)new ReflectionInvoker((MethodInfo)p.Value), StringComparer.Ordinal),
            Queries = queries.ToDictionary(p => p.Key, p => p.Value is PropertyInfo property ? new ReflectionInvoker(property) : (MemberInvoker)new ReflectionInvoker((MethodInfo)p.Value), StringComparer.Ordinal),
            Updates = updates.ToDictionary(p => p.Key, p => (MemberInvoker)new ReflectionInvoker(p.Value), StringComparer.Ordinal),
            UpdateValidators = validators.ToDictionary(p => p.Key, p => (MemberInvoker)new ReflectionInvoker(p.Value), StringComparer.Ordinal),
        };
        if (generated is not null)
        {
            GeneratedInvokers.Check(type, generated, signals.Keys, queries.Keys, updates.Keys, validators.Keys, problems);
        }

        return problems.Count > count
            ? null
            : new WorkflowDefinition(DefinitionNames.Workflow(type), type, run)
            {
                Invokers = invokers,
                Signals = signals.ToDictionary(p => p.Key, p => (MethodInfo)p.Value),
                Queries = queries,
                Updates = updates.ToDictionary(u => u.Key, u => (u.Value, validators.GetValueOrDefault(u.Key))),
                FailureExceptionTypes = attribute?.FailureExceptionTypes ?? [],
            };
    }

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

    private static List<ActivityDefinition> DefineActivities(Type type, IReadOnlyDictionary<string, MemberInvoker>? generated, List<string> problems)
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

            definitions.Add(new ActivityDefinition(ActivityCall.NameOf(method), type, method));
        }

        return generated is null ? definitions : GeneratedInvokers.Apply(type, generated, definitions, problems);
    }
}
