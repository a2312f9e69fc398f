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
        while (true)
        {
            if (await store.ReadInstanceAsync(WorkflowIds.Validate(workflowId), cancellationToken) is not { } instance)
            {
                return false;
            }

            switch (await purger.PurgeAsync(instance, cancellationToken))
            {
                case PurgeOutcome.Purged:
                    return true;
                case PurgeOutcome.NotFound:
                    return false;
                case PurgeOutcome.NotClosed:
                    throw new WorkflowOpenException(workflowId, instance.RunId);
            }

            // RunChanged: a new run, or the closed run's outbox was just sent; look again.
        }
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
            var instance = await store.ReadInstanceAsync(item.WorkflowId, cancellationToken);
            if (instance is null)
            {
                // A leftover entry of a workflow purged already (a late index write): remove it too.
                await visibility.DeleteAsync(item.WorkflowId, item.Version, cancellationToken);
            }
            else if (instance.RunId == item.RunId && await purger.PurgeAsync(instance, cancellationToken) == PurgeOutcome.Purged)
            {
                purged++;
            }
        }

        return new PurgeResult(purged, page.Items.Count - purged, page.ContinuationToken);
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
