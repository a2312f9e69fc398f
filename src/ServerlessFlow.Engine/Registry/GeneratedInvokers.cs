using ServerlessFlow.Invocation;

namespace ServerlessFlow.Engine.Registry;

/// <summary>
/// The invokers the source generator wrote for the classes of a generated registration, and the check that they match the
/// definitions the registry reads from the classes: a generator and a registry that disagreed on a name would otherwise call
/// nothing, or the wrong member.
/// </summary>
internal sealed class GeneratedInvokers
{
    public static readonly GeneratedInvokers None = new(new Dictionary<Type, WorkflowInvokers>(), new Dictionary<Type, IReadOnlyDictionary<string, MemberInvoker>>());

    public GeneratedInvokers(IReadOnlyDictionary<Type, WorkflowInvokers> workflows, IReadOnlyDictionary<Type, IReadOnlyDictionary<string, MemberInvoker>> activities)
    {
        Workflows = workflows;
        Activities = activities;
    }

    /// <summary>Invokers of workflow classes.</summary>
    public IReadOnlyDictionary<Type, WorkflowInvokers> Workflows { get; }

    /// <summary>Invokers of activity classes, by activity name.</summary>
    public IReadOnlyDictionary<Type, IReadOnlyDictionary<string, MemberInvoker>> Activities { get; }

    /// <summary>Adds a problem for every handler the class defines and the invokers lack, or the other way round.</summary>
    public static void Check(
        Type type, WorkflowInvokers invokers, IEnumerable<string> signals, IEnumerable<string> queries, IEnumerable<string> updates, IEnumerable<string> validators,
        List<string> problems)
    {
        var differences = Differences("signal", signals, invokers.Signals.Keys)
            .Concat(Differences("query", queries, invokers.Queries.Keys))
            .Concat(Differences("update", updates, invokers.Updates.Keys))
            .Concat(Differences("validator of update", validators, invokers.UpdateValidators.Keys))
            .ToList();
        if (differences.Count > 0)
        {
            problems.Add(Mismatch($"workflow {type.FullName}", differences));
        }
    }

    /// <summary>The activity definitions with their generated invokers; a problem for every activity either side lacks.</summary>
    public static List<ActivityDefinition> Apply(Type type, IReadOnlyDictionary<string, MemberInvoker> invokers, List<ActivityDefinition> definitions, List<string> problems)
    {
        var differences = Differences("activity", definitions.Select(d => d.Name), invokers.Keys).ToList();
        if (differences.Count > 0)
        {
            problems.Add(Mismatch($"activity class {type.FullName}", differences));
            return [];
        }

        return definitions.Select(d => d with { Invoker = invokers[d.Name] }).ToList();
    }

    private static IEnumerable<string> Differences(string kind, IEnumerable<string> defined, IEnumerable<string> generated)
    {
        var definedSet = defined.ToHashSet(StringComparer.Ordinal);
        var generatedSet = generated.ToHashSet(StringComparer.Ordinal);
        return definedSet.Except(generatedSet).Order(StringComparer.Ordinal).Select(name => $"the {kind} '{name}' has no generated invoker")
            .Concat(generatedSet.Except(definedSet).Order(StringComparer.Ordinal).Select(name => $"a generated invoker names the {kind} '{name}', which the class does not define"));
    }

    private static string Mismatch(string what, IEnumerable<string> differences) =>
        $"The generated invokers of {what} do not match the class: {string.Join("; ", differences)}. " +
        "Rebuild the project so the source generator sees the current class, or register it with AddWorkflow/AddActivities without invokers.";
}
