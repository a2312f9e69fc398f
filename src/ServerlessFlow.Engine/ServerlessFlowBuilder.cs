using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.InMemory;
using ServerlessFlow.Engine.Registry;
using ServerlessFlow.Invocation;

namespace ServerlessFlow.Engine;

/// <summary>Collects workflows, activities, the backend and worker settings for <see cref="ServiceCollectionExtensions.AddServerlessFlow"/>.</summary>
public sealed class ServerlessFlowBuilder
{
    private const DynamicallyAccessedMemberTypes WorkflowMembers =
        DynamicallyAccessedMemberTypes.PublicParameterlessConstructor | DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.PublicProperties;

    private readonly DefinitionSources<WorkflowSource> workflows = new(s => s.Class, s => s.Generated);
    private readonly DefinitionSources<ActivitySource> activities = new(s => s.Class, s => s.Generated);
    private readonly List<KeyValuePair<string, SearchAttributeType>> searchAttributes = [];
    private readonly List<Func<List<string>, ActivityDefinition?>> activityReplacements = [];

    internal ServerlessFlowBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection, for backend extensions.</summary>
    public IServiceCollection Services { get; }

    internal IReadOnlyList<WorkflowSource> Workflows => workflows.All;

    internal IReadOnlyList<ActivitySource> Activities => activities.All;

    internal IReadOnlyList<KeyValuePair<string, SearchAttributeType>> SearchAttributes => searchAttributes;

    internal IReadOnlyList<Func<List<string>, ActivityDefinition?>> ActivityReplacements => activityReplacements;

    internal WorkerOptions WorkerOptions { get; private set; } = new();

    /// <summary>
    /// Registers a workflow class (marked [Workflow]), read through reflection: its attributes at start-up, its members at every
    /// call. Generated registration (<c>AddGeneratedDefinitions()</c>) needs neither, and is the way for trimmed and AOT apps.
    /// </summary>
    [RequiresUnreferencedCode(ReflectionDefinitions.Reason)]
    public ServerlessFlowBuilder AddWorkflow<[DynamicallyAccessedMembers(WorkflowMembers)] TWorkflow>() where TWorkflow : class => AddWorkflow(typeof(TWorkflow));

    /// <inheritdoc cref="AddWorkflow{TWorkflow}()"/>
    [RequiresUnreferencedCode(ReflectionDefinitions.Reason)]
    public ServerlessFlowBuilder AddWorkflow([DynamicallyAccessedMembers(WorkflowMembers)] Type workflowClass)
    {
        ArgumentNullException.ThrowIfNull(workflowClass);
        workflows.Add(new WorkflowSource(workflowClass, Generated: false, problems => ReflectionDefinitions.Workflow(workflowClass, problems)));
        return this;
    }

    /// <summary>
    /// Registers a workflow class with its whole definition as the source generator wrote it — type name, handlers, failure
    /// exception types, and the invokers that create it and call its members directly — so nothing is read or called through
    /// reflection. Generated registration (<c>AddGeneratedDefinitions()</c>) calls this; it wins over a hand registration of the same class.
    /// </summary>
    public ServerlessFlowBuilder AddWorkflow<TWorkflow>(WorkflowInvokers invokers) where TWorkflow : class
    {
        ArgumentNullException.ThrowIfNull(invokers);
        ArgumentException.ThrowIfNullOrEmpty(invokers.Name);
        workflows.Add(new WorkflowSource(typeof(TWorkflow), Generated: true, _ => new WorkflowDefinition(invokers.Name, typeof(TWorkflow), invokers)));
        return this;
    }

    /// <summary>
    /// Registers every [Activity] method of a class, read through reflection; the class is created through DI for each call, so it
    /// can take services. Generated registration (<c>AddGeneratedDefinitions()</c>) reads nothing, and is the way for trimmed and AOT apps.
    /// </summary>
    [RequiresUnreferencedCode(ReflectionDefinitions.Reason)]
    public ServerlessFlowBuilder AddActivities<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicMethods)] TActivities>()
        where TActivities : class => AddActivities(typeof(TActivities));

    /// <inheritdoc cref="AddActivities{TActivities}()"/>
    [RequiresUnreferencedCode(ReflectionDefinitions.Reason)]
    public ServerlessFlowBuilder AddActivities([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicMethods)] Type activityClass)
    {
        ArgumentNullException.ThrowIfNull(activityClass);
        Services.TryAddTransient(activityClass);
        activities.Add(new ActivitySource(activityClass, Generated: false, problems => ReflectionDefinitions.Activities(activityClass, problems)));
        return this;
    }

    /// <summary>
    /// Registers the [Activity] methods of a class as the source generator wrote them: by activity name, each with the invoker
    /// that calls it directly, and the class created by <paramref name="create"/> from the call's scope, so nothing is read or
    /// called through reflection. Generated registration (<c>AddGeneratedDefinitions()</c>) calls this; it wins over a hand
    /// registration of the same class.
    /// </summary>
    /// <param name="invokers">The activities, by name.</param>
    /// <param name="create">
    /// Creates the class (generated from its constructor: <c>sp =&gt; new T(sp.GetRequiredService&lt;A&gt;())</c>), registered in the
    /// container as the class's transient factory unless the app registered the class itself; null to register the class so that
    /// the container's constructor selection reads its public constructors (kept for it by trimming).
    /// </param>
    public ServerlessFlowBuilder AddActivities<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TActivities>(
        IReadOnlyDictionary<string, MemberInvoker> invokers, Func<IServiceProvider, TActivities>? create = null)
        where TActivities : class
    {
        ArgumentNullException.ThrowIfNull(invokers);

        // The class is always resolved from the container, so an app's own registration of it wins (a singleton, a factory) and a
        // disposable instance is disposed with the call's scope; the generated constructor call is only the default registration.
        if (create is null)
        {
            Services.TryAddTransient<TActivities>();
        }
        else
        {
            Services.TryAddTransient(create);
        }

        var definitions = invokers.Select(p => new ActivityDefinition(p.Key, typeof(TActivities), p.Value)).ToList();
        activities.Add(new ActivitySource(typeof(TActivities), Generated: true, _ => definitions));
        return this;
    }

    /// <summary>
    /// Runs <paramref name="implementation"/> whenever the activity named <paramref name="activityName"/> is called, instead of
    /// the [Activity] method registered under that name (if any): how tests put a fake in place of an activity that touches the world.
    /// Its parameters are the activity's arguments (a CancellationToken parameter gets the attempt's token); it may return a value, a Task or a Task&lt;T&gt;.
    /// The delegate is called through reflection.
    /// </summary>
    /// <example><c>flow.ReplaceActivity("SendEmail", (string to, string subject) =&gt; Task.FromResult("sent"))</c></example>
    [RequiresUnreferencedCode(ReflectionDefinitions.Reason)]
    public ServerlessFlowBuilder ReplaceActivity(string activityName, Delegate implementation)
    {
        ArgumentException.ThrowIfNullOrEmpty(activityName);
        ArgumentNullException.ThrowIfNull(implementation);
        activityReplacements.Add(problems => ReflectionDefinitions.Replacement(activityName, implementation, problems));
        return this;
    }

    /// <summary>
    /// Gives the engine the JSON metadata of the app's payload types — workflow inputs and results, activity arguments and
    /// results, signal, query and update arguments and results — usually a source-generated context
    /// (<c>[JsonSerializable(typeof(Order))] partial class ShopJson : JsonSerializerContext</c>, then
    /// <c>flow.UseJsonTypeInfoResolver(ShopJson.Default)</c>), so they serialize without reflection. A trimmed or AOT app needs it
    /// for every payload type that is not a primitive (strings, numbers, dates, GUIDs, arrays and lists of them have metadata built in);
    /// elsewhere it is optional, and types it does not cover fall back to reflection. Resolvers apply to every host in the process.
    /// </summary>
    public ServerlessFlowBuilder UseJsonTypeInfoResolver(IJsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        PayloadJson.AddTypeInfoResolver(resolver);
        return this;
    }

    /// <summary>
    /// Registers a search attribute: indexed metadata that workflows get at start (<see cref="StartWorkflowOptions.SearchAttributes"/>)
    /// or set themselves (<see cref="Workflow.UpsertSearchAttributes"/>), and listings filter on. The name becomes part of
    /// the index: a letter, then up to 63 letters, digits or underscores.
    /// </summary>
    public ServerlessFlowBuilder AddSearchAttribute(string name, SearchAttributeType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        searchAttributes.Add(new(name, type));
        return this;
    }

    /// <summary>Adjusts the worker settings (task queues served, concurrency, timing).</summary>
    public ServerlessFlowBuilder ConfigureWorker(Func<WorkerOptions, WorkerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        WorkerOptions = configure(WorkerOptions);
        return this;
    }

    /// <summary>Uses the given backend. Backend packages call this from their own extension methods.</summary>
    public ServerlessFlowBuilder UseBackend(
        Func<IServiceProvider, IWorkflowStore> store, Func<IServiceProvider, ITaskQueues> queues,
        Func<IServiceProvider, IVisibilityStore> visibility, Func<IServiceProvider, IScheduleStore> schedules)
    {
        Services.RemoveAll<IWorkflowStore>();
        Services.RemoveAll<ITaskQueues>();
        Services.RemoveAll<IVisibilityStore>();
        Services.RemoveAll<IScheduleStore>();
        Services.AddSingleton(store);
        Services.AddSingleton(queues);
        Services.AddSingleton(visibility);
        Services.AddSingleton(schedules);
        return this;
    }

    /// <summary>Keeps everything in memory: for fast unit tests of workflows, never for production.</summary>
    public ServerlessFlowBuilder UseInMemoryBackend() => UseInMemoryBackend(TimeProvider.System, replaceClock: false);

    /// <summary>
    /// Keeps everything in memory, on the clock <paramref name="time"/>, which the whole engine then uses: workflow time,
    /// timers, delayed messages and retries follow it, so a fake clock (e.g. <c>FakeTimeProvider</c>) moved forward by
    /// days fires days-long timers at once. Waits of callers (<see cref="IWorkflowClient.WaitForCloseAsync"/>, updates)
    /// stay in real time. For fast unit tests of workflows, never for production.
    /// </summary>
    public ServerlessFlowBuilder UseInMemoryBackend(TimeProvider time) => UseInMemoryBackend(time, replaceClock: true);

    private ServerlessFlowBuilder UseInMemoryBackend(TimeProvider time, bool replaceClock)
    {
        ArgumentNullException.ThrowIfNull(time);
        var backend = new InMemoryBackend(time);
        var visibility = new InMemoryVisibilityStore();
        var schedules = new InMemoryScheduleStore();
        if (replaceClock)
        {
            Services.Replace(ServiceDescriptor.Singleton(time));
        }

        return UseBackend(_ => backend, sp => backend.WakeVia(sp.GetRequiredService<Runtime.LocalWakeups>()), _ => visibility, _ => schedules);
    }
}
