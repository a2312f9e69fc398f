using ServerlessFlow.Engine.Visibility;
using System.Diagnostics.CodeAnalysis;

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

    /// <summary>Looks up a workflow type.</summary>
    public WorkflowDefinition? FindWorkflow(string name) => workflows.GetValueOrDefault(name);

    /// <summary>Looks up an activity.</summary>
    public ActivityDefinition? FindActivity(string name) => activities.GetValueOrDefault(name);

    /// <summary>The workflow definition, or <see cref="UnknownWorkflowTypeException"/>.</summary>
    public WorkflowDefinition GetWorkflow(string name) => FindWorkflow(name) ?? throw new UnknownWorkflowTypeException(name, WorkflowNames);

    /// <summary>Builds and validates the registry; throws <see cref="WorkflowDefinitionException"/> listing every problem.</summary>
    /// <param name="workflowSources">Workflow registrations, one per class.</param>
    /// <param name="activitySources">Activity registrations, one per class.</param>
    /// <param name="searchAttributes">Registered search attributes.</param>
    /// <param name="replacements">Activities given as delegates; each replaces a class activity of the same name (tests' fakes).</param>
    public static WorkflowRegistry Build(
        IEnumerable<WorkflowSource> workflowSources, IEnumerable<ActivitySource> activitySources,
        IEnumerable<KeyValuePair<string, SearchAttributeType>>? searchAttributes = null, IEnumerable<Func<List<string>, ActivityDefinition?>>? replacements = null)
    {
        var problems = new List<string>();
        var attributes = SearchAttributeRegistry.Build(searchAttributes ?? [], problems);
        var workflows = new Dictionary<string, WorkflowDefinition>(StringComparer.Ordinal);
        foreach (var source in workflowSources)
        {
            if (source.Define(problems) is { } definition && !workflows.TryAdd(definition.Name, definition))
            {
                problems.Add($"Workflow type name '{definition.Name}' is used by both {workflows[definition.Name].Class.FullName} and {source.Class.FullName}; give one of them another name with [Workflow(\"name\")].");
            }
        }

        var activities = new Dictionary<string, ActivityDefinition>(StringComparer.Ordinal);
        foreach (var source in activitySources)
        {
            foreach (var definition in source.Define(problems))
            {
                if (!activities.TryAdd(definition.Name, definition))
                {
                    problems.Add($"Activity name '{definition.Name}' is used by both {activities[definition.Name].Class.Name} and {source.Class.Name}; give one another name with [Activity(\"name\")].");
                }
            }
        }

        foreach (var replace in replacements ?? [])
        {
            if (replace(problems) is { } replacement)
            {
                activities[replacement.Name] = replacement;
            }
        }

        return problems.Count > 0 ? throw new WorkflowDefinitionException(problems) : new WorkflowRegistry(workflows, activities, attributes);
    }

    /// <summary>Builds and validates the registry of classes read through reflection (tests, the replayer); see the other overload.</summary>
    [RequiresUnreferencedCode(ReflectionDefinitions.Reason)]
    public static WorkflowRegistry Build(
        IEnumerable<Type> workflowClasses, IEnumerable<Type> activityClasses, IEnumerable<KeyValuePair<string, SearchAttributeType>>? searchAttributes = null) =>
        Build(
            workflowClasses.Distinct().Select(type => new WorkflowSource(type, Generated: false, problems => ReflectionDefinitions.Workflow(type, problems))),
            activityClasses.Distinct().Select(type => new ActivitySource(type, Generated: false, problems => ReflectionDefinitions.Activities(type, problems))),
            searchAttributes);
}
