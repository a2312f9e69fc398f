using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Runtime;

namespace ServerlessFlow.Engine.Retention;

/// <summary>
/// Deletes a closed workflow: first its unsent outbox (a parent or a schedule still has to hear of the close),
/// then its rows in bounded store calls, then its index entry. Used by the client's purge and by retention.
/// </summary>
internal sealed class WorkflowPurger(IWorkflowStore store, IVisibilityStore visibility, OutboxSender outbox)
{
    /// <summary>Rows one store call deletes at most before it reports <see cref="PurgeOutcome.MoreToDo"/>.</summary>
    public const int RowsPerCall = 1_000;

    /// <summary>Purges <paramref name="instance"/>'s workflow if that run is closed and still current; <see cref="PurgeOutcome.RunChanged"/> means look again.</summary>
    public async Task<PurgeOutcome> PurgeAsync(InstanceRecord instance, CancellationToken cancellationToken)
    {
        if (instance.Status is WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew)
        {
            return PurgeOutcome.NotClosed;
        }

        if (instance.OutboxPending && await outbox.SendAsync(instance, cancellationToken))
        {
            return PurgeOutcome.RunChanged; // the flag's clear changed the ETag: look again
        }

        PurgeOutcome outcome;
        do
        {
            outcome = await store.PurgeAsync(instance.WorkflowId, instance.RunId, RowsPerCall, cancellationToken);
        }
        while (outcome == PurgeOutcome.MoreToDo);

        if (outcome is PurgeOutcome.Purged or PurgeOutcome.NotFound)
        {
            await visibility.DeleteAsync(instance.WorkflowId, instance.Version, cancellationToken);
        }

        return outcome;
    }
}
