using System.Diagnostics;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Diagnostics;

/// <summary>
/// The span and metrics of one workflow task (run the code, commit): a child of the run's root context from the
/// instance row, whichever worker runs it. <see cref="Committed"/> and <see cref="Conflict"/> end it at once (a process killed
/// right after its commit has still exported the span); disposing a task that reached neither records it as failed.
/// </summary>
internal sealed class WorkflowTaskTelemetry : IDisposable
{
    private readonly Activity? span;
    private readonly string workflowType;
    private readonly long startedAt = Stopwatch.GetTimestamp();
    private string outcome = "failed";
    private bool ended;

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

        End();
    }

    /// <summary>The commit lost the instance row's fence: the task is retried from fresh state.</summary>
    public void Conflict()
    {
        outcome = "conflict";
        ServerlessFlowTelemetry.CommitConflicts.Add(1, new KeyValuePair<string, object?>(TagNames.WorkflowType, workflowType));
        End();
    }

    /// <inheritdoc />
    public void Dispose() => End();

    private void End()
    {
        if (ended)
        {
            return;
        }

        ended = true;
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
