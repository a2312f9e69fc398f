using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.InMemory;

namespace ServerlessFlow.Engine;

/// <summary>Collects workflows, activities, the backend and worker settings for <see cref="ServiceCollectionExtensions.AddServerlessFlow"/>.</summary>
public sealed class ServerlessFlowBuilder
{
    private readonly List<Type> workflows = [];
    private readonly List<Type> activities = [];

    internal ServerlessFlowBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection, for backend extensions.</summary>
    public IServiceCollection Services { get; }

    internal IReadOnlyList<Type> Workflows => workflows;

    internal IReadOnlyList<Type> Activities => activities;

    internal WorkerOptions WorkerOptions { get; private set; } = new();

    /// <summary>Registers a workflow class (marked [Workflow]).</summary>
    public ServerlessFlowBuilder AddWorkflow<TWorkflow>() where TWorkflow : class => AddWorkflow(typeof(TWorkflow));

    /// <summary>Registers a workflow class (marked [Workflow]).</summary>
    public ServerlessFlowBuilder AddWorkflow(Type workflowClass)
    {
        workflows.Add(workflowClass);
        return this;
    }

    /// <summary>Registers every [Activity] method of a class; the class is created through DI for each call, so it can take services.</summary>
    public ServerlessFlowBuilder AddActivities<TActivities>() where TActivities : class => AddActivities(typeof(TActivities));

    /// <summary>Registers every [Activity] method of a class.</summary>
    public ServerlessFlowBuilder AddActivities(Type activityClass)
    {
        activities.Add(activityClass);
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
    public ServerlessFlowBuilder UseBackend(Func<IServiceProvider, IWorkflowStore> store, Func<IServiceProvider, ITaskQueues> queues)
    {
        Services.RemoveAll<IWorkflowStore>();
        Services.RemoveAll<ITaskQueues>();
        Services.AddSingleton(store);
        Services.AddSingleton(queues);
        return this;
    }

    /// <summary>Keeps everything in memory: for fast unit tests of workflows, never for production.</summary>
    public ServerlessFlowBuilder UseInMemoryBackend()
    {
        var backend = new InMemoryBackend(TimeProvider.System);
        return UseBackend(_ => backend, _ => backend);
    }
}
