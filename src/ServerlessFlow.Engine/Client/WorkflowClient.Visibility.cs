using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Visibility;

namespace ServerlessFlow.Engine.Client;

/// <summary>Listing from the visibility index, and purge.</summary>
internal sealed partial class WorkflowClient
{
    public async Task<WorkflowPage> ListWorkflowsAsync(WorkflowListQuery query, CancellationToken cancellationToken = default)
    {
        var page = await visibility.QueryAsync(ToVisibilityQuery(query), cancellationToken);
        return new WorkflowPage(page.Items.Select(VisibilityRecords.Describe).ToList(), page.ContinuationToken);
    }

    public async Task<bool> PurgeWorkflowAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        var (outcome, instance) = await PurgeCurrentRunAsync(WorkflowIds.Validate(workflowId), runId: null, cancellationToken);
        return outcome == PurgeOutcome.NotClosed ? throw new WorkflowOpenException(workflowId, instance!.RunId) : outcome == PurgeOutcome.Purged;
    }

    public async Task<PurgeResult> PurgeWorkflowsAsync(WorkflowListQuery query, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Status is WorkflowStatus.Running)
        {
            throw new InvalidWorkflowRequestException("Only closed workflows can be purged: leave out status=Running (terminate or cancel running ones first).");
        }

        var page = await visibility.QueryAsync(ToVisibilityQuery(query with { PageSize = max }), cancellationToken);
        var purged = 0;
        foreach (var item in page.Items)
        {
            switch ((await PurgeCurrentRunAsync(item.WorkflowId, item.RunId, cancellationToken)).Outcome)
            {
                case PurgeOutcome.NotFound:
                    // A leftover entry of a workflow purged already (a late index write): remove it too.
                    await visibility.DeleteAsync(item.WorkflowId, item.Version, cancellationToken);
                    break;
                case PurgeOutcome.Purged:
                    purged++;
                    break;
            }
        }

        return new PurgeResult(purged, page.Items.Count - purged, page.ContinuationToken);
    }

    /// <summary>
    /// Purges the workflow's current run (only if it is <paramref name="runId"/>, when given), looking again while the purge
    /// reports a change: a closed run whose outbox was still pending (its flag is cleared just after its close, so a purge right
    /// after the close meets it) is sent first, which changes its row.
    /// </summary>
    private async Task<(PurgeOutcome Outcome, InstanceRecord? Instance)> PurgeCurrentRunAsync(string workflowId, string? runId, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await store.ReadInstanceAsync(workflowId, cancellationToken) is not { } instance)
            {
                return (PurgeOutcome.NotFound, null);
            }

            if (runId is not null && instance.RunId != runId)
            {
                return (PurgeOutcome.RunChanged, instance);
            }

            if (await purger.PurgeAsync(instance, cancellationToken) is var outcome && outcome != PurgeOutcome.RunChanged)
            {
                return (outcome, instance);
            }
        }
    }

    /// <summary>The query with its page size checked and its search attribute values converted to their registered types.</summary>
    private WorkflowListQuery ToVisibilityQuery(WorkflowListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (new[] { query.StartedAfter, query.StartedBefore, query.ClosedAfter, query.ClosedBefore }.Any(d => d?.UtcDateTime.Year < SearchAttributeRegistry.MinYear))
        {
            throw new InvalidWorkflowRequestException($"Time filters start at {SearchAttributeRegistry.MinYear}-01-01; leave the bound out to mean \"since always\".");
        }

        return query.PageSize is < 1 or > 1000
            ? throw new InvalidWorkflowRequestException($"Page size {query.PageSize} is out of range; use 1 to 1000.")
            : query with { SearchAttributes = query.SearchAttributes.Select(registry.SearchAttributes.ToTyped).ToList() };
    }
}
