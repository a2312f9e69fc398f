using Azure;
using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// How one <see cref="WorkflowCommit"/> is cut into transactions. The final transaction is fenced by the
/// instance row and holds everything that makes the commit real: the instance row (first, so a failed
/// fence is what the transaction reports), the run row, the inbox deletes, the activity adds and deletes,
/// and as much of the new history as fits. History that does not fit is written beforehand in overflow
/// transactions, with Add: those rows have IDs above the committed last event, so they are not history
/// until the final transaction lands, and Add (not upsert) guarantees they never overwrite a committed row.
/// </summary>
internal sealed class CommitPlan
{
    private readonly TableEntity instanceRow;
    private readonly List<PlannedOperation> finalOperations;

    private CommitPlan(TableEntity instanceRow, List<PlannedOperation> finalOperations, List<List<TableEntity>> overflow, List<string> afterCommit)
    {
        this.instanceRow = instanceRow;
        this.finalOperations = finalOperations;
        Overflow = overflow;
        DeletedAfterCommit = afterCommit;
    }

    /// <summary>
    /// Overflow transactions of history rows and new activity rows (Add), in order; empty when everything fits the final
    /// transaction. However many events and activities a step records, its commit is these few transactions plus the final one.
    /// </summary>
    public IReadOnlyList<List<TableEntity>> Overflow { get; }

    /// <summary>Row keys of activity rows to delete once the final transaction has landed (those that did not fit it).</summary>
    public IReadOnlyList<string> DeletedAfterCommit { get; }

    /// <summary>What each operation of the final transaction does (index 0 is the instance row).</summary>
    public IReadOnlyList<PlannedOperation> FinalOperations => finalOperations;

    /// <summary>The index of the inbox sequence row's operation in the final transaction; null when the commit has none.</summary>
    public int? InboxSequenceIndex => finalOperations.FindIndex(op => op.Kind == OperationKind.InboxSequence) is var i and >= 0 ? i : null;

    /// <summary>Cuts <paramref name="commit"/> into transactions.</summary>
    /// <param name="partitionKey">The workflow's partition.</param>
    /// <param name="commit">The commit.</param>
    /// <param name="commitId">The unique ID written into every row.</param>
    /// <param name="inboxContinuations">Continuation row counts of the consumed inbox rows (by row key); absent rows are not deleted.</param>
    /// <param name="stored">Serializes the rows' records (and encodes their payloads).</param>
    public static CommitPlan Create(string partitionKey, WorkflowCommit commit, string commitId, IReadOnlyDictionary<string, int> inboxContinuations, StoredJson stored)
    {
        var instance = commit.Instance;
        var instanceRow = InstanceRows.ToEntity(partitionKey, instance, commitId);
        var operations = new List<PlannedOperation> { new(OperationKind.Instance, null) };
        if (WritesRunRow(commit))
        {
            operations.Add(new(OperationKind.RunRow, new TableTransactionAction(TableTransactionActionType.UpsertReplace, RunRows.ToEntity(partitionKey, instance.RunId, instance.LastEventId, commitId))));
        }

        if (InboxSequenceOperation(partitionKey, commit, commitId) is { } inboxSequence)
        {
            operations.Add(inboxSequence);
        }

        foreach (var key in commit.ConsumedInbox.Distinct(StringComparer.Ordinal))
        {
            var rowKey = RowKeys.Inbox(key);
            if (!inboxContinuations.TryGetValue(rowKey, out var continuations))
            {
                continue; // Not there: consumed by a commit that will fail this one's fence, or never inserted.
            }

            operations.Add(Delete(OperationKind.InboxDelete, partitionKey, rowKey));
            for (var part = 1; part <= continuations; part++)
            {
                operations.Add(Delete(OperationKind.InboxDelete, partitionKey, RowKeys.Continuation(rowKey, part)));
            }
        }

        var bytes = PayloadRows.EstimatedBatchBytes(instanceRow) + operations.Skip(1).Sum(op => (long)PayloadRows.EstimatedBatchBytes((TableEntity)op.Action!.Entity));
        if (operations.Count > AzureLimits.MaxOperationsPerBatch || bytes > AzureLimits.MaxBatchBodyBytes)
        {
            throw new StoreException(
                $"The commit of workflow '{instance.WorkflowId}' consumes {commit.ConsumedInbox.Count} inbox items: " +
                $"{operations.Count} operations, about {bytes} bytes, where one transaction carries {AzureLimits.MaxOperationsPerBatch} and {AzureLimits.MaxBatchBodyBytes}. " +
                "Consume fewer inbox items per workflow task.", 0, isTooLarge: true);
        }

        // Rows of activities whose outcome this commit records (or that it abandons) are inert once the instance row no longer
        // lists them as pending, so those that do not fit are deleted after the commit.
        var afterCommit = new List<string>();
        foreach (var id in commit.DeletedActivities)
        {
            var rowKey = RowKeys.Activity(instance.RunId, id);
            if (operations.Count < AzureLimits.MaxOperationsPerBatch)
            {
                operations.Add(Delete(OperationKind.ActivityDelete, partitionKey, rowKey));
                bytes += AzureLimits.BatchOperationOverheadBytes;
            }
            else
            {
                afterCommit.Add(rowKey);
            }
        }

        // New activity rows join the final transaction while they fit; in it they are upserts, since under the fence a row at an event
        // ID above the committed last event can only be a leftover of a lost race. The rest are written beforehand with the overflow.
        var earlyRows = new List<TableEntity>();
        foreach (var activity in commit.NewActivities)
        {
            var row = ActivityRows.ToEntity(partitionKey, activity, commitId, stored);
            var rowBytes = PayloadRows.EstimatedBatchBytes(row);
            if (earlyRows.Count == 0 && operations.Count < AzureLimits.MaxOperationsPerBatch && bytes + rowBytes <= AzureLimits.MaxBatchBodyBytes)
            {
                operations.Add(new PlannedOperation(OperationKind.ActivityAdd, new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)));
                bytes += rowBytes;
            }
            else
            {
                earlyRows.Add(row);
            }
        }

        // The newest events join the final transaction while they fit; older ones overflow, in order.
        var events = commit.NewEvents.Select(e => HistoryRows.Build(partitionKey, instance.RunId, e, commitId, stored)).ToList();
        var inFinal = events.Count;
        while (inFinal > 0)
        {
            var candidate = events[inFinal - 1];
            var candidateBytes = TableRows.EstimatedBatchBytes(candidate);
            if (operations.Count + candidate.Count > AzureLimits.MaxOperationsPerBatch || bytes + candidateBytes > AzureLimits.MaxBatchBodyBytes)
            {
                break;
            }

            operations.AddRange(candidate.Select(row => new PlannedOperation(OperationKind.History, new TableTransactionAction(TableTransactionActionType.UpsertReplace, row))));
            bytes += candidateBytes;
            inFinal--;
        }

        var overflow = Pack(events.Take(inFinal).SelectMany(rows => rows).Concat(earlyRows));
        if (overflow.Count > 0 && instance.ETag is null)
        {
            throw new StoreException(
                $"The first commit of workflow '{instance.WorkflowId}' ({commit.NewEvents.Count} events) does not fit one transaction; a start must: " +
                "its overflow rows could not be cleaned up safely before the instance row exists.", 0, isTooLarge: true);
        }

        return new CommitPlan(instanceRow, operations, overflow, afterCommit);
    }

    /// <summary>
    /// Whether the commit writes the run row: at the run's start and at its close. The run row tells the committed last event of
    /// a run the instance row no longer shows (a new run replaced it), and a run is only ever replaced once closed, so the close's
    /// value is the one ever read; while the run is open its instance row tells. Writing it on every step cost an operation per commit.
    /// </summary>
    private static bool WritesRunRow(WorkflowCommit commit) =>
        commit.Instance.Status != WorkflowStatus.Running || (commit.NewEvents.Count > 0 && commit.NewEvents[0].EventId == 1);

    /// <summary>
    /// The commit's operation on the inbox sequence row (<see cref="InboxSequenceRow"/>), if any. A fenced commit (a close)
    /// conditions it on the token its task saw, so it loses to any inbox insert since; a run's start touches it, which gives the
    /// run's first task its token without a load. Every other commit leaves it alone, so inbox inserts never make them fail.
    /// </summary>
    private static PlannedOperation? InboxSequenceOperation(string partitionKey, WorkflowCommit commit, string commitId)
    {
        if (commit.FenceInbox)
        {
            var token = commit.Instance.InboxETag
                ?? throw new ArgumentException($"The commit of workflow '{commit.Instance.WorkflowId}' is fenced by the inbox but carries no inbox token.", nameof(commit));
            return new(OperationKind.InboxSequence, InboxSequenceRow.Fence(partitionKey, token, commitId));
        }

        return commit.NewEvents.Count > 0 && commit.NewEvents[0].EventId == 1
            ? new(OperationKind.InboxSequence, InboxSequenceRow.Touch(partitionKey, commitId))
            : null;
    }

    /// <summary>The final transaction, fenced on <paramref name="etag"/> (null: the instance row must not exist).</summary>
    public List<TableTransactionAction> FinalTransaction(string? etag)
    {
        var actions = new List<TableTransactionAction>(finalOperations.Count)
        {
            etag is null
                ? new TableTransactionAction(TableTransactionActionType.Add, instanceRow)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, instanceRow, new ETag(etag)),
        };
        actions.AddRange(finalOperations.Skip(1).Select(op => op.Action!));
        return actions;
    }

    /// <summary>Packs rows into transactions within the operation and size limits.</summary>
    private static List<List<TableEntity>> Pack(IEnumerable<TableEntity> rows)
    {
        var batches = new List<List<TableEntity>>();
        var current = new List<TableEntity>();
        long bytes = 0;
        foreach (var row in rows)
        {
            var rowBytes = PayloadRows.EstimatedBatchBytes(row);
            if (current.Count > 0 && (current.Count == AzureLimits.MaxOperationsPerBatch || bytes + rowBytes > AzureLimits.MaxBatchBodyBytes))
            {
                batches.Add(current);
                current = [];
                bytes = 0;
            }

            current.Add(row);
            bytes += rowBytes;
        }

        if (current.Count > 0)
        {
            batches.Add(current);
        }

        return batches;
    }

    private static PlannedOperation Delete(OperationKind kind, string partitionKey, string rowKey) =>
        new(kind, new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partitionKey, rowKey), ETag.All));
}

/// <summary>One operation of a commit's final transaction; <see cref="Action"/> is null for the instance row, which is built per fence.</summary>
internal sealed record PlannedOperation(OperationKind Kind, TableTransactionAction? Action);

/// <summary>What an operation of the final transaction does; tells which failures are whose.</summary>
internal enum OperationKind
{
    /// <summary>The instance row: the fence.</summary>
    Instance,

    /// <summary>The run row's upsert.</summary>
    RunRow,

    /// <summary>Deleting a consumed inbox row or one of its continuation rows.</summary>
    InboxDelete,

    /// <summary>Creating an activity row.</summary>
    ActivityAdd,

    /// <summary>Deleting an activity row.</summary>
    ActivityDelete,

    /// <summary>The inbox sequence row: a start's touch, or a close's fence (fails when an inbox item was added since the task's load).</summary>
    InboxSequence,

    /// <summary>A history row (upsert: rows above the committed last event may be leftovers of a lost race).</summary>
    History,
}
