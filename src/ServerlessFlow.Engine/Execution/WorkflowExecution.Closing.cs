namespace ServerlessFlow.Engine.Execution;

/// <summary>How the run ends: the close command its finished code asks for, or a failed task when the code hit a bug.</summary>
internal sealed partial class WorkflowExecution
{
    private void EmitCompletionIfDone()
    {
        if (closed || pending.Any(c => c is CompleteWorkflowCommand or FailWorkflowCommand or CancelWorkflowCommand or ContinueAsNewCommand))
        {
            return;
        }

        if (handlers.FirstOrDefault(h => h.IsFaulted) is { } failedHandler)
        {
            var handlerError = failedHandler.Exception!.InnerException!;
            if (definition.FailsWorkflow(handlerError) || IsReplaying)
            {
                pending.Enqueue(new FailWorkflowCommand(FailureInfo.FromException(handlerError)));
            }
            else
            {
                FailTask(handlerError, "a signal handler");
            }

            return;
        }

        handlers.RemoveAll(h => h.IsCompleted);
        if (runMethod is not { IsCompleted: true })
        {
            return;
        }

        if (CloseCommand(runMethod) is { } close)
        {
            pending.Enqueue(close);
        }
    }

    /// <summary>
    /// Workflow code threw an exception that is not a failure exception (a null reference, a bad cast): a bug, so the task fails and
    /// is retried — history is untouched, and corrected code deployed meanwhile continues the run — rather than failing the
    /// workflow for good. <see cref="WorkflowAttribute.FailureExceptionTypes"/> names the exceptions that fail the workflow instead.
    /// </summary>
    private void FailTask(Exception error, string where) =>
        taskFailure ??= new WorkflowTaskFailureException(
            $"Workflow '{Info.WorkflowId}' ({Info.WorkflowType}): {where} threw {error.GetType().FullName}: {error.Message} " +
            $"{FirstFrame(error)}It is not a failure exception, so the workflow task fails and is retried with back-off; the workflow stays running. " +
            "Fix the code and deploy it, throw ApplicationFailureException to fail the workflow on purpose, or list the type in " +
            "[Workflow(FailureExceptionTypes = …)].",
            error);

    private static string FirstFrame(Exception error) =>
        error.StackTrace?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() is { } frame ? $"({frame}) " : "";

    private Command? CloseCommand(Task finished)
    {
        if (finished.Status == TaskStatus.RanToCompletion)
        {
            return new CompleteWorkflowCommand(PayloadJson.ToElement(definition.Invokers.Run.ResultOf(finished)));
        }

        var error = finished.IsCanceled
            ? new WorkflowCanceledException(cancelReason)
            : finished.Exception!.InnerExceptions.Count == 1 ? finished.Exception.InnerException! : finished.Exception;
        return error switch
        {
            ContinueAsNewException next => new ContinueAsNewCommand(
                PayloadJson.ToElement(next.Input), signalRequestIds.Count == 0 ? null : signalRequestIds.TakeLast(MaxCarriedSignalRequestIds).ToList()),
            OperationCanceledException when IsCancellationRequested => new CancelWorkflowCommand(cancelReason),
            // While replaying, code throws only where history already recorded how the run ended: histories of runs that an older
            // engine failed for any exception still replay (a task failure is never committed, so it is never replayed).
            _ when definition.FailsWorkflow(error) || IsReplaying => new FailWorkflowCommand(FailureInfo.FromException(error)),
            _ => FailTaskInstead(error),
        };
    }

    private Command? FailTaskInstead(Exception error)
    {
        FailTask(error, "the run method");
        return null;
    }
}
