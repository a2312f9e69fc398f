using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// The instance row. The whole <see cref="InstanceRecord"/> is stored as JSON in payload columns (one row:
/// it holds identifiers, not payloads); the columns beside it exist for filters (list, stalled sweep) and
/// for the two fields that are changed by merges without a commit — <c>OutboxPending</c> and
/// <c>LastTaskFailure</c> — for which the columns, not the JSON, are the truth.
/// </summary>
internal static class InstanceRows
{
    /// <summary>Unescaped workflow ID.</summary>
    public const string WorkflowIdColumn = "WorkflowId";

    /// <summary>The current run.</summary>
    public const string RunIdColumn = "RunId";

    /// <summary>The committed last event of the current run.</summary>
    public const string LastEventIdColumn = "LastEventId";

    /// <summary>The workflow type (filter of the list).</summary>
    public const string WorkflowTypeColumn = "WorkflowType";

    /// <summary>The status name (filter of the list).</summary>
    public const string StatusColumn = "Status";

    /// <summary>When the run started (sort order of the list).</summary>
    public const string CreatedAtColumn = "CreatedAt";

    /// <summary>True while the outbox may be unsent (filter of the stalled sweep).</summary>
    public const string OutboxPendingColumn = "OutboxPending";

    /// <summary>The earliest pending timer's fire time of an open, unsuspended run (filter of the stalled sweep: its wake-up may be lost).</summary>
    public const string TimerDueAtColumn = "TimerDueAt";

    /// <summary>The last workflow task failure.</summary>
    public const string LastTaskFailureColumn = "LastTaskFailure";

    /// <summary>The unique ID of the commit that last replaced the row; resolves ambiguous commits.</summary>
    public const string CommitIdColumn = "CommitId";

    /// <summary>The unique ID of the last merge (outbox cleared, failure recorded, fence touched); resolves ambiguous merges.</summary>
    public const string WriteIdColumn = "WriteId";

    /// <summary>Builds the row a commit stores.</summary>
    public static TableEntity ToEntity(string partitionKey, InstanceRecord instance, string commitId)
    {
        // Dead-letter notes are diagnostic text in the row's state, like LastTaskFailure in its column: each is cut the same way.
        var notes = instance.DeadLetters.Count == 0 ? instance.DeadLetters : [.. instance.DeadLetters.Select(n => n with { Note = Diagnostic(n.Note)! })];
        var json = StoredJson.SerializePlain(instance with { ETag = null, OutboxPending = false, LastTaskFailure = null, DeadLetters = notes });
        if (json.Length > AzureLimits.MaxPayloadBytesPerRow)
        {
            throw new StoreException(
                $"The instance row of workflow '{instance.WorkflowId}' would hold {json.Length} bytes of state; one row holds {AzureLimits.MaxPayloadBytesPerRow}. " +
                "Too many pending timers, activities or outbox messages: keep fewer in flight at once.", 0, isTooLarge: true);
        }

        var row = PayloadRows.Build(partitionKey, RowKeys.Instance, json)[0];
        row[WorkflowIdColumn] = instance.WorkflowId;
        row[RunIdColumn] = instance.RunId;
        row[WorkflowTypeColumn] = instance.WorkflowType;
        row["TaskQueue"] = instance.TaskQueue;
        row[StatusColumn] = instance.Status.ToString();
        row[CreatedAtColumn] = instance.CreatedAt;
        row["ClosedAt"] = instance.ClosedAt;
        row[LastEventIdColumn] = instance.LastEventId;
        row[OutboxPendingColumn] = instance.OutboxPending;
        row[TimerDueAtColumn] = Engine.Worker.TimerDue.EarliestOf(instance);
        row[LastTaskFailureColumn] = Diagnostic(instance.LastTaskFailure);
        row[CommitIdColumn] = commitId;
        row[WriteIdColumn] = commitId;
        return row;
    }

    /// <summary>Reads the record back, with the row's ETag.</summary>
    public static InstanceRecord FromEntity(TableEntity row, StoredJson stored)
    {
        var record = stored.Deserialize<InstanceRecord>(PayloadRows.Read(row, _ => null), row.RowKey);
        return record with
        {
            OutboxPending = row.GetBoolean(OutboxPendingColumn) ?? false,
            LastTaskFailure = row.GetString(LastTaskFailureColumn),
            ETag = row.ETag.ToString(),
        };
    }

    /// <summary>
    /// Keeps diagnostic text within a string column. A task failure is a diagnosis (non-determinism report,
    /// stack trace), not a payload, so an overlong one is cut and says so.
    /// </summary>
    public static string? Diagnostic(string? text) =>
        text is null || text.Length <= AzureLimits.MaxDiagnosticTextLength
            ? text
            : string.Concat(text.AsSpan(0, AzureLimits.MaxDiagnosticTextLength), $"… [{text.Length - AzureLimits.MaxDiagnosticTextLength} more characters not stored]");
}
