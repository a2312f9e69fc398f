using System.Diagnostics;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Diagnostics;

/// <summary>
/// The span and metrics of one workflow task (run the code, commit): a child of the run's root context from the
/// instance row, whichever worker runs it. Dispose it when the task ends; a task that ends without
/// <see cref="Committed"/> or <see cref="Conflict"/> is recorded as failed (its exception is recorded by the caller's log).
/// </summary>
internal sealed class WorkflowTaskTelemetry : IDisposable
{
    private readonly Activity? span;
    private readonly string workflowType;
    private readonly long startedAt = Stopwatch.GetTimestamp();
    private string outcome = "failed";

    private WorkflowTaskTelemetry(InstanceRecord instance)
    {
        workflowType = instance.WorkflowType;
        span = ServerlessFlowTelemetry.StartRunSpan($"WorkflowTask {instance.WorkflowType}", ActivityKind.Internal, instance.TraceParent, instance.WorkflowId, instance.RunId);
        span?.SetTag(TagNames.WorkflowType, instance.WorkflowType);
    }

    /// <summary>Starts the task's span for <paramref name="instance"/> as loaded.</summary>
    public static WorkflowTaskTelemetry Start(InstanceRecord instance) => new(instance);

    /// <summary>The commit went through; counts the run's close when it closed it.</summary>
    public void Committed(InstanceRecord committed, int newEvents)
    {
        outcome = "committed";
        span?.SetTag("serverlessflow.workflow_task.new_events", newEvents);
        if (committed.Status != WorkflowStatus.Running)
        {
            span?.SetTag(TagNames.WorkflowStatus, committed.Status.ToString());
            ServerlessFlowTelemetry.WorkflowCloses.Add(1,
                new KeyValuePair<string, object?>(TagNames.WorkflowType, workflowType), new KeyValuePair<string, object?>(TagNames.WorkflowStatus, committed.Status.ToString()));
        }
    }

    /// <summary>The commit lost the instance row's fence: the task is retried from fresh state.</summary>
    public void Conflict()
    {
        outcome = "conflict";
        ServerlessFlowTelemetry.CommitConflicts.Add(1, new KeyValuePair<string, object?>(TagNames.WorkflowType, workflowType));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        span?.SetTag(TagNames.Outcome, outcome);
        if (outcome == "failed")
        {
            span?.SetStatus(ActivityStatusCode.Error, "The workflow task failed before its commit.");
        }

        span?.Dispose();
        ServerlessFlowTelemetry.WorkflowTaskDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds,
            new KeyValuePair<string, object?>(TagNames.WorkflowType, workflowType), new KeyValuePair<string, object?>(TagNames.Outcome, outcome));
    }
}
