using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessFlow.Engine.Activities;
using ServerlessFlow.Engine.Client;
using ServerlessFlow.Engine.Registry;
using ServerlessFlow.Engine.Runtime;
using ServerlessFlow.Engine.Retention;
using ServerlessFlow.Engine.Schedules;
using ServerlessFlow.Engine.Worker;
using ServerlessFlow.Schedules;

namespace ServerlessFlow.Engine;

/// <summary>Registers ServerlessFlow in a service collection.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine, the client (<see cref="IWorkflowClient"/>), the task handler (<see cref="ITaskHandler"/>)
    /// and the worker (<see cref="WorkflowWorker"/>, not started). Workflow and activity definitions are
    /// validated here, and every problem is reported at once in a <see cref="WorkflowDefinitionException"/>.
    /// </summary>
    public static IServiceCollection AddServerlessFlow(this IServiceCollection services, Action<ServerlessFlowBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new ServerlessFlowBuilder(services);
        configure(builder);
        var registry = WorkflowRegistry.Build(builder.Workflows, builder.Activities, builder.SearchAttributes, builder.ActivityReplacements);

        services.AddSingleton(registry);
        services.AddSingleton(builder.WorkerOptions);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LocalWakeups>();
        services.TryAddSingleton(CallerClock.Real);
        services.AddSingleton<CompletionNotifier>();
        services.AddSingleton<ClosedRuns>();
        services.AddSingleton<ArmedChecks>();
        services.AddSingleton<WorkflowTaskSlots>();
        services.AddSingleton<EagerRuns>();
        services.AddSingleton<InProcessTimers>();
        services.AddSingleton<WorkflowCache>();
        services.AddSingleton<OutboxSender>();
        services.AddSingleton<WorkInProgress>();
        services.AddSingleton<WorkflowRunLoader>();
        services.AddSingleton<EagerActivityChooser>();
        services.AddSingleton<RunCloser>();
        services.AddSingleton<HistoryLimits>();
        services.AddSingleton<WorkflowTaskProcessor>();
        services.AddSingleton<ActivityTaskProcessor>();
        services.AddSingleton<ActivityBatchProcessor>();
        services.AddSingleton<ActivitySlots>();
        services.AddSingleton<ActivityAttemptRunner>();
        services.AddSingleton<ActivityCheckProcessor>();
        services.AddSingleton<EagerActivities>();
        services.AddSingleton<ActivityOutcomes>();
        services.AddSingleton<ActivityTimeoutProcessor>();
        services.AddSingleton<ChildWorkflowProcessor>();
        services.AddSingleton<ExternalRequestProcessor>();
        services.AddSingleton<LocalActivityRunner>();
        services.AddSingleton<DeadLetterNotice>();
        services.TryAddSingleton<ITaskHandler, TaskHandler>(); // A host or test may put its own in front.
        services.AddSingleton<WorkflowClient>();
        services.AddSingleton<IWorkflowClient>(sp => sp.GetRequiredService<WorkflowClient>());
        services.AddSingleton<WorkflowPurger>();
        services.AddSingleton<RetentionProcessor>();
        services.AddSingleton<ScheduleProcessor>();
        services.AddSingleton<IScheduleClient, ScheduleClient>();
        services.AddSingleton(sp => new StorageInitializer(
            sp.GetRequiredService<Backend.IWorkflowStore>(), sp.GetRequiredService<Backend.IVisibilityStore>(), sp.GetRequiredService<Backend.IScheduleStore>()));
        services.AddSingleton(sp => new HousekeepingPass(
            sp.GetRequiredService<RecoverySweeper>(), sp.GetRequiredService<Backend.IScheduleStore>(), sp.GetRequiredService<ScheduleProcessor>(),
            sp.GetRequiredService<RetentionProcessor>(), sp.GetRequiredService<WorkerOptions>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<HousekeepingPass>>()));
        services.AddSingleton(sp => new RecoverySweeper(
            sp.GetRequiredService<Backend.IWorkflowStore>(), sp.GetRequiredService<OutboxSender>(), sp.GetRequiredService<WorkerOptions>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<RecoverySweeper>>()));
        services.AddSingleton(sp => new WorkflowWorker(
            sp.GetRequiredService<Backend.ITaskQueues>(), sp.GetRequiredService<StorageInitializer>(), sp.GetRequiredService<ITaskHandler>(),
            sp.GetRequiredService<HousekeepingPass>(), sp.GetRequiredService<WorkerOptions>(), sp.GetRequiredService<LocalWakeups>(),
            sp.GetRequiredService<ActivitySlots>(), sp.GetRequiredService<WorkflowTaskSlots>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<WorkflowWorker>>()));
        return services;
    }
}
