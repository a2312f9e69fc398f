namespace ServerlessFlow.Engine.Registry;

/// <summary>
/// How one registration of a workflow class becomes its definition: from the data the source generator wrote
/// (<see cref="Generated"/>, no reflection), or by reading the class. <see cref="Define"/> adds every problem it finds
/// and gives null when there is any.
/// </summary>
internal sealed record WorkflowSource(Type Class, bool Generated, Func<List<string>, WorkflowDefinition?> Define);

/// <summary>How one registration of an activity class becomes its activities' definitions (see <see cref="WorkflowSource"/>).</summary>
internal sealed record ActivitySource(Type Class, bool Generated, Func<List<string>, IReadOnlyList<ActivityDefinition>> Define);

/// <summary>
/// The registrations of a builder, one per class: a class registered twice (by generated code and by hand) is defined once,
/// from the generated registration when there is one — it reads nothing through reflection.
/// </summary>
internal sealed class DefinitionSources<TSource>(Func<TSource, Type> classOf, Func<TSource, bool> generated)
{
    private readonly List<TSource> sources = [];

    /// <summary>The registrations, in the order their classes were first registered.</summary>
    public IReadOnlyList<TSource> All => sources;

    /// <summary>Adds a registration, or replaces the class's earlier one unless that one is generated and this one is not.</summary>
    public void Add(TSource source)
    {
        var index = sources.FindIndex(s => classOf(s) == classOf(source));
        if (index < 0)
        {
            sources.Add(source);
        }
        else if (generated(source) || !generated(sources[index]))
        {
            sources[index] = source;
        }
    }
}
