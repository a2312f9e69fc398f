using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// The rows of one workflow's index entry (see <see cref="VisibilityKeys"/>). Every row, the pointer row
/// included, carries the whole record in columns — a typed <c>sa_{Name}</c> column per search attribute and
/// their types in <see cref="AttributeTypesColumn"/> — so a query never needs a second read, and a search
/// attribute filter is a comparison with the column.
/// </summary>
internal sealed class VisibilityRows
{
    /// <summary>The workflow ID, unescaped (ID prefix filters compare it).</summary>
    public const string WorkflowIdColumn = "WorkflowId";

    /// <summary>The workflow type.</summary>
    public const string WorkflowTypeColumn = "WorkflowType";

    /// <summary>The status name.</summary>
    public const string StatusColumn = "Status";

    /// <summary>When the run closed; absent while open, so every comparison with it is false for open runs.</summary>
    public const string ClosedAtColumn = "ClosedAt";

    /// <summary>The record's version: the freshness rule compares it.</summary>
    public const string VersionColumn = "Version";

    /// <summary>On the pointer row: the keys of the index rows, newline-separated (escaped keys hold no control characters).</summary>
    public const string IndexKeysColumn = "IndexKeys";

    /// <summary>"Name:Type;…" of the search attributes, to read the typed columns back.</summary>
    public const string AttributeTypesColumn = "AttributeTypes";

    private const string RunIdColumn = "RunId";
    private const string TaskQueueColumn = "TaskQueue";
    private const string StartedAtColumn = "StartedAt";
    private const string HistoryLengthColumn = "HistoryLength";
    private const string SuspendedAtColumn = "SuspendedAt";
    private const string SuspendReasonColumn = "SuspendReason";
    private const char KeySeparator = '\n';

    private readonly VisibilityRecord record;
    private readonly List<(string Name, SearchAttributeValue Value)> attributes;

    private VisibilityRows(VisibilityRecord record, List<(string Name, SearchAttributeValue Value)> attributes, string partitionKey, string pointerKey, List<string> indexKeys)
    {
        this.record = record;
        this.attributes = attributes;
        PartitionKey = partitionKey;
        PointerKey = pointerKey;
        IndexKeys = indexKeys;
    }

    /// <summary>The shard of the workflow.</summary>
    public string PartitionKey { get; }

    /// <summary>The pointer row's key.</summary>
    public string PointerKey { get; }

    /// <summary>The keys of the index rows.</summary>
    public IReadOnlyList<string> IndexKeys { get; }

    /// <summary>Plans the rows of <paramref name="record"/>.</summary>
    /// <exception cref="ArgumentException">A search attribute has an invalid name or a value of an unsupported type (the engine validates both first).</exception>
    public static VisibilityRows Create(VisibilityRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var attributes = new List<(string Name, SearchAttributeValue Value)>();
        foreach (var (name, value) in record.SearchAttributes.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (!SearchAttributeValue.IsValidName(name))
            {
                throw new ArgumentException($"Search attribute name '{name}' of workflow '{record.WorkflowId}' is invalid: use a letter, then up to 63 letters, digits or underscores.", nameof(record));
            }

            attributes.Add((name, SearchAttributeValue.From(value)
                ?? throw new ArgumentException($"Search attribute '{name}' of workflow '{record.WorkflowId}' has a value of type {value?.GetType().Name ?? "null"}; use string, long, double, bool or DateTimeOffset.", nameof(record))));
        }

        var (partitionKey, hash) = VisibilityKeys.Locate(record.WorkflowId);
        return new VisibilityRows(record, attributes, partitionKey, VisibilityKeys.Pointer(record.WorkflowId), VisibilityKeys.IndexKeys(record, hash, attributes));
    }

    /// <summary>The pointer row, listing the index rows.</summary>
    public TableEntity Pointer()
    {
        var row = Row(PointerKey);
        row[IndexKeysColumn] = string.Join(KeySeparator, IndexKeys);
        return row;
    }

    /// <summary>The index row with <paramref name="rowKey"/>.</summary>
    public TableEntity Index(string rowKey) => Row(rowKey);

    /// <summary>The index row keys a stored pointer row lists.</summary>
    public static IReadOnlyList<string> ListedKeys(TableEntity pointer) =>
        pointer.GetString(IndexKeysColumn) is { Length: > 0 } keys ? keys.Split(KeySeparator) : [];

    /// <summary>Reads the record back from any of the rows.</summary>
    public static VisibilityRecord Read(TableEntity row)
    {
        var attributes = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var entry in (row.GetString(AttributeTypesColumn) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            var name = entry[..colon];
            attributes[name] = Enum.TryParse<SearchAttributeType>(entry.AsSpan(colon + 1), out var type)
                && row.TryGetValue(SearchAttributeValue.ColumnPrefix + name, out var column)
                && SearchAttributeValue.Read(type, column) is { } value
                ? value
                : throw Corrupt(row, $"search attribute '{name}' has no readable {entry[(colon + 1)..]} column");
        }

        return new VisibilityRecord
        {
            WorkflowId = row.GetString(WorkflowIdColumn) ?? throw Corrupt(row, "has no WorkflowId"),
            RunId = row.GetString(RunIdColumn) ?? throw Corrupt(row, "has no RunId"),
            WorkflowType = row.GetString(WorkflowTypeColumn) ?? throw Corrupt(row, "has no WorkflowType"),
            TaskQueue = row.GetString(TaskQueueColumn) ?? "",
            Status = Enum.TryParse<WorkflowStatus>(row.GetString(StatusColumn), out var status) ? status : throw Corrupt(row, "has no valid Status"),
            StartedAt = row.GetDateTimeOffset(StartedAtColumn) ?? throw Corrupt(row, "has no StartedAt"),
            ClosedAt = row.GetDateTimeOffset(ClosedAtColumn),
            HistoryLength = row.GetInt64(HistoryLengthColumn) ?? 0,
            Version = row.GetInt64(VersionColumn) ?? throw Corrupt(row, "has no Version"),
            Suspension = row.GetDateTimeOffset(SuspendedAtColumn) is { } suspendedAt ? new WorkflowSuspension(suspendedAt, row.GetString(SuspendReasonColumn)) : null,
            SearchAttributes = attributes,
        };
    }

    private TableEntity Row(string rowKey)
    {
        var row = new TableEntity(PartitionKey, rowKey)
        {
            [WorkflowIdColumn] = record.WorkflowId,
            [RunIdColumn] = record.RunId,
            [WorkflowTypeColumn] = record.WorkflowType,
            [TaskQueueColumn] = record.TaskQueue,
            [StatusColumn] = record.Status.ToString(),
            [StartedAtColumn] = record.StartedAt.ToUniversalTime(),
            [HistoryLengthColumn] = record.HistoryLength,
            [VersionColumn] = record.Version,
            [AttributeTypesColumn] = string.Join(';', attributes.Select(a => $"{a.Name}:{a.Value.Type}")),
        };
        if (record.ClosedAt is { } closedAt)
        {
            row[ClosedAtColumn] = closedAt.ToUniversalTime();
        }

        if (record.Suspension is { } suspension)
        {
            row[SuspendedAtColumn] = suspension.SuspendedAt.ToUniversalTime();
            row[SuspendReasonColumn] = suspension.Reason;
        }

        foreach (var (name, value) in attributes)
        {
            row[SearchAttributeValue.ColumnPrefix + name] = value.Value;
        }

        return row;
    }

    private static StoreException Corrupt(TableEntity row, string problem) =>
        new($"Visibility row '{row.RowKey}' of partition '{row.PartitionKey}' {problem}: it was not written by this backend.", 0);
}
