using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>Cross-partition queries: listing instances and finding stalled workflows. Both scan the table.</summary>
internal sealed partial class AzureWorkflowStore
{
    private static readonly string[] PartitionKeyOnly = ["PartitionKey"];

    // Column names in filters are literal text: CreateQueryFilter quotes every interpolated value as a literal.
    // They are the InstanceRows.StatusColumn, WorkflowTypeColumn, OutboxPendingColumn and TimerDueAtColumn columns.

    /// <inheritdoc />
    /// <remarks>
    /// Table storage orders by key, not by time, so this scans every instance row that matches the filter,
    /// sorts newest first, and pages with a cursor (created-at, workflow ID). Fine for the dashboard and the
    /// HTTP list at moderate scale; a time-ordered index table would be the next step.
    /// </remarks>
    public async Task<InstancePage> ListInstancesAsync(InstanceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.PageSize is < 1 or > 1000)
        {
            throw new InvalidWorkflowRequestException($"Page size {query.PageSize} is out of range: use 1–1000.");
        }

        var cursor = query.ContinuationToken is null ? ((DateTimeOffset, string)?)null : ParseCursor(query.ContinuationToken);
        var filter = TableClient.CreateQueryFilter($"RowKey eq {RowKeys.Instance}");
        if (query.Status is { } status)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Status eq {status.ToString()}");
        }

        if (query.WorkflowType is { } type)
        {
            filter += " and " + TableClient.CreateQueryFilter($"WorkflowType eq {type}");
        }

        var rows = await StorageErrors.Run("Listing workflow instances", async () =>
        {
            var found = new List<TableEntity>();
            await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                found.Add(row);
            }

            return found;
        }, cancellationToken);

        var ordered = rows
            .Select(row => (Row: row, Created: row.GetDateTimeOffset(InstanceRows.CreatedAtColumn) ?? DateTimeOffset.MinValue, Id: row.GetString(InstanceRows.WorkflowIdColumn) ?? ""))
            .Where(item => cursor is not { } c || item.Created < c.Item1 || (item.Created == c.Item1 && string.CompareOrdinal(item.Id, c.Item2) > 0))
            .OrderByDescending(item => item.Created)
            .ThenBy(item => item.Id, StringComparer.Ordinal)
            .Take(query.PageSize + 1)
            .ToList();
        var page = ordered.Take(query.PageSize).ToList();
        var token = ordered.Count > query.PageSize ? FormatCursor(page[^1].Created, page[^1].Id) : null;
        return new InstancePage(page.Select(item => InstanceRows.FromEntity(item.Row, stored)).ToList(), token);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One filtered scan of the whole table (Table storage has no secondary index), so an idle sweep costs one request: instance
    /// rows with a pending outbox last written before <paramref name="olderThan"/> or a timer due before it, and inbox rows
    /// written before it. Only partition keys are returned.
    /// </remarks>
    public async Task<IReadOnlyList<string>> FindStalledAsync(DateTimeOffset olderThan, int max, CancellationToken cancellationToken)
    {
        if (max <= 0)
        {
            return [];
        }

        // A row without a TimerDueAt (no timer, closed, suspended, or written before the column existed) does not match its comparison.
        var filter = TableClient.CreateQueryFilter(
            $"(RowKey eq {RowKeys.Instance} and ((OutboxPending eq {true} and Timestamp lt {olderThan}) or TimerDueAt lt {olderThan})) or (RowKey ge {RowKeys.InboxStart} and RowKey lt {RowKeys.InboxEnd} and Timestamp lt {olderThan})");
        var found = new HashSet<string>(StringComparer.Ordinal);
        await StorageErrors.Run("Finding stalled workflows", async () =>
        {
            await foreach (var row in table.QueryAsync<TableEntity>(filter, select: PartitionKeyOnly, cancellationToken: cancellationToken))
            {
                if (found.Add(row.PartitionKey) && found.Count >= max)
                {
                    break;
                }
            }
        }, cancellationToken);

        return found.Select(KeyEscaping.Unescape).ToList();
    }

    private static string FormatCursor(DateTimeOffset created, string workflowId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(created.UtcTicks.ToString(CultureInfo.InvariantCulture) + ":" + workflowId));

    private static (DateTimeOffset, string) ParseCursor(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var ticks = long.Parse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture);
            return (new DateTimeOffset(ticks, TimeSpan.Zero), text[(colon + 1)..]);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new InvalidWorkflowRequestException($"Continuation token '{token}' is not one this list returned: pass the token from the previous page unchanged.", e);
        }
    }
}
