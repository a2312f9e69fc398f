using Azure;
using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// <see cref="IWorkflowStore.CommitAsync"/>: overflow history first (if any), then ONE entity-group
/// transaction fenced by the instance row's ETag (Add when the commit expects no row). Every commit writes a
/// fresh commit ID into the instance row; whenever the outcome is in doubt — the fence reports a conflict
/// (which is also what the SDK's own re-send of an applied transaction gets), or the answer was lost — the
/// instance row is re-read and the commit ID decides: ours means committed, another means the race was lost.
/// </summary>
internal sealed class CommitWriter(TableClient table, InboxShapeCache inboxShapes, StoredJson stored)
{
    /// <summary>Final transactions tried when the inbox rows to delete turn out to differ from what this process saw.</summary>
    private const int MaxAttempts = 3;

    private static readonly string[] RowKeyOnly = ["RowKey"];

    private readonly OverflowHistoryWriter overflow = new(table);

    /// <summary>Applies the commit; null when the fence failed and nothing became visible.</summary>
    public async Task<InstanceRecord?> CommitAsync(WorkflowCommit commit, CancellationToken cancellationToken)
    {
        Validate(commit);
        if (commit is { FenceInbox: true, Instance.InboxETag: null })
        {
            return null; // The inbox is unknown, so it may have changed: the caller loads and tries again, as after a lost race.
        }

        var instance = commit.Instance;
        var partitionKey = KeyEscaping.PartitionKey(instance.WorkflowId);
        var commitId = TableRows.NewWriteId();
        var operation = $"Committing workflow '{instance.WorkflowId}'";
        return await StorageErrors.Run(operation, async () =>
        {
            var etag = instance.ETag;
            var shapes = KnownInboxShapes(partitionKey, commit.ConsumedInbox) ?? await QueryInboxShapesAsync(partitionKey, cancellationToken);
            for (var attempt = 1; ; attempt++)
            {
                var plan = CommitPlan.Create(partitionKey, commit, commitId, shapes, stored);
                if (plan.Overflow.Count > 0)
                {
                    etag = await overflow.WriteAsync(partitionKey, instance.RunId, commit.NewEvents[0].EventId, plan, etag!, cancellationToken);
                    if (etag is null)
                    {
                        return null;
                    }
                }

                var outcome = await SubmitFinalAsync(partitionKey, commit, plan, commitId, etag, operation, cancellationToken);
                if (outcome is not Outcome.StaleInbox)
                {
                    if (outcome is Outcome.Committed committed)
                    {
                        foreach (var key in commit.ConsumedInbox)
                        {
                            inboxShapes.Forget(partitionKey, RowKeys.Inbox(key));
                        }

                        await DeleteAfterCommitAsync(partitionKey, plan.DeletedAfterCommit, cancellationToken);
                        return committed.Instance;
                    }

                    return null;
                }

                if (attempt == MaxAttempts)
                {
                    throw new StoreException($"{operation} failed: the inbox rows it consumes kept changing under an unchanged instance row.", 404);
                }

                shapes = await QueryInboxShapesAsync(partitionKey, cancellationToken);
            }
        }, cancellationToken);
    }

    private async Task<Outcome> SubmitFinalAsync(
        string partitionKey, WorkflowCommit commit, CommitPlan plan, string commitId, string? etag, string operation, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.SubmitTransactionAsync(plan.FinalTransaction(etag), cancellationToken);
            var inboxETag = plan.InboxSequenceIndex is { } sequence ? response.Value[sequence].Headers.ETag?.ToString() : commit.Instance.InboxETag;
            return new Outcome.Committed(commit.Instance with { ETag = response.Value[0].Headers.ETag?.ToString(), InboxETag = inboxETag });
        }
        catch (RequestFailedException e) when (StorageErrors.IsTableNotFound(e))
        {
            // No table, so no row to resolve the outcome by: the caller creates the tables and tries again.
            throw StorageErrors.Translate(e, operation);
        }
        catch (RequestFailedException e) when (StorageErrors.IsConcurrencyConflict(e))
        {
            if (await ResolveAsync(partitionKey, commit, plan, commitId, etag, cancellationToken) is { } resolved)
            {
                return resolved;
            }

            // The fence held, so another operation failed. An inbox item added since the task loaded fails a close: the race is
            // lost, and the task loads again to handle it. A missing inbox row means this process's view of the inbox was stale;
            // anything else is a broken invariant (an activity row created twice or never).
            var index = (e as TableTransactionFailedException)?.FailedTransactionActionIndex;
            var kind = index is { } i && i < plan.FinalOperations.Count ? plan.FinalOperations[i].Kind : (OperationKind?)null;
            if (kind is OperationKind.InboxSequence)
            {
                return Outcome.Lost.Instance;
            }

            if (StorageErrors.IsNotFound(e) && kind is OperationKind.InboxDelete or null)
            {
                foreach (var key in commit.ConsumedInbox)
                {
                    inboxShapes.Forget(partitionKey, RowKeys.Inbox(key));
                }

                return Outcome.StaleInbox.Instance;
            }

            throw StorageErrors.Translate(e, $"{operation} ({kind} operation)");
        }
        catch (Exception e) when (StorageErrors.IsTransport(e, cancellationToken))
        {
            return await ResolveAsync(partitionKey, commit, plan, commitId, etag, cancellationToken)
                ?? throw new StoreException($"{operation} failed: storage did not answer, and the instance row is unchanged, so the commit was not applied.", 0, inner: e);
        }
    }

    /// <summary>
    /// Re-reads the instance row after a doubtful outcome: committed when it carries our commit ID, lost when
    /// it changed (or exists, for an insert), null when it is exactly as the fence expected.
    /// </summary>
    private async Task<Outcome?> ResolveAsync(string partitionKey, WorkflowCommit commit, CommitPlan plan, string commitId, string? etag, CancellationToken cancellationToken)
    {
        var row = await TableRows.ReadAsync(table, partitionKey, RowKeys.Instance, cancellationToken);
        if (row is not null && string.Equals(row.GetString(InstanceRows.CommitIdColumn), commitId, StringComparison.Ordinal))
        {
            // The inbox token this commit left is unknown: null makes a later fenced commit load first.
            var inboxETag = plan.InboxSequenceIndex is null ? commit.Instance.InboxETag : null;
            return new Outcome.Committed(commit.Instance with { ETag = row.ETag.ToString(), InboxETag = inboxETag });
        }

        var unchanged = etag is null ? row is null : row is not null && string.Equals(row.ETag.ToString(), etag, StringComparison.Ordinal);
        return unchanged ? null : Outcome.Lost.Instance;
    }

    /// <summary>
    /// Deletes the activity rows the final transaction had no room for. They belong to activities the committed instance no longer
    /// lists as pending, so no fence is needed; a crash before this leaves inert rows that the workflow's purge removes.
    /// </summary>
    private async Task DeleteAfterCommitAsync(string partitionKey, IReadOnlyList<string> rowKeys, CancellationToken cancellationToken)
    {
        foreach (var chunk in rowKeys.Chunk(AzureLimits.MaxOperationsPerBatch))
        {
            try
            {
                await table.SubmitTransactionAsync(
                    chunk.Select(key => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partitionKey, key), ETag.All)), cancellationToken);
            }
            catch (RequestFailedException e) when (StorageErrors.IsNotFound(e))
            {
                // One of them is gone already (an earlier try of this commit): delete the others one by one.
                foreach (var key in chunk)
                {
                    await table.DeleteEntityAsync(partitionKey, key, ETag.All, cancellationToken);
                }
            }
        }
    }

    /// <summary>Continuation counts of the consumed inbox rows from the cache; null when any is unknown.</summary>
    private Dictionary<string, int>? KnownInboxShapes(string partitionKey, IReadOnlyList<string> consumed)
    {
        var shapes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var rowKey in consumed.Select(RowKeys.Inbox))
        {
            if (!inboxShapes.TryGet(partitionKey, rowKey, out var continuations))
            {
                return null;
            }

            shapes[rowKey] = continuations;
        }

        return shapes;
    }

    /// <summary>Continuation counts of every inbox row of the partition (one query of row keys).</summary>
    private async Task<Dictionary<string, int>> QueryInboxShapesAsync(string partitionKey, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {RowKeys.InboxStart} and RowKey lt {RowKeys.InboxEnd}");
        var shapes = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: RowKeyOnly, cancellationToken: cancellationToken))
        {
            var main = RowKeys.IsInboxMain(row.RowKey) ? row.RowKey : RowKeys.MainOf(row.RowKey);
            shapes[main] = shapes.GetValueOrDefault(main, -1) + 1;
        }

        foreach (var (rowKey, continuations) in shapes)
        {
            inboxShapes.Record(partitionKey, rowKey, continuations);
        }

        return shapes;
    }

    /// <summary>Enforces the commit contract that keeps history gap-free (DESIGN §3.3).</summary>
    private static void Validate(WorkflowCommit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var events = commit.NewEvents;
        for (var i = 0; i < events.Count; i++)
        {
            var expected = commit.Instance.LastEventId - events.Count + 1 + i;
            if (events[i].EventId != expected)
            {
                throw new ArgumentException(
                    $"Commit of workflow '{commit.Instance.WorkflowId}' is malformed: new events must be consecutive and end at Instance.LastEventId " +
                    $"({commit.Instance.LastEventId}); event {i} has ID {events[i].EventId}, expected {expected}.", nameof(commit));
            }
        }

        if (events.Count > 0 && events[0].EventId < 1)
        {
            throw new ArgumentException($"Commit of workflow '{commit.Instance.WorkflowId}' is malformed: event IDs start at 1.", nameof(commit));
        }
    }

    /// <summary>How a final transaction ended.</summary>
    private abstract record Outcome
    {
        /// <summary>Applied; the instance carries its new ETag.</summary>
        public sealed record Committed(InstanceRecord Instance) : Outcome;

        /// <summary>The fence failed: someone else committed first.</summary>
        public sealed record Lost : Outcome
        {
            public static readonly Lost Instance = new();
        }

        /// <summary>An inbox row to delete was not as remembered; nothing was written.</summary>
        public sealed record StaleInbox : Outcome
        {
            public static readonly StaleInbox Instance = new();
        }
    }
}
