using System.Runtime.CompilerServices;
using Azure.Data.Tables;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// How a <see cref="WorkflowListQuery"/> is read: ONE driver key prefix (an attribute Eq → <c>A</c>; else type
/// and status → <c>Y</c>; else type → <c>T</c>; else status → <c>X</c>; else <c>S</c>), the start-time range
/// as RowKey bounds of it (every driver sorts by <c>inv(start)</c>), and every other filter as a server-side
/// comparison with a column. The same plan runs on every shard.
/// </summary>
internal sealed class VisibilityQueryPlan
{
    /// <summary>Comparisons every shard query spends on its partition and RowKey range.</summary>
    private const int RangeComparisons = 3;

    /// <summary>Below every suspension time: a row has the column only while its run is suspended, and a comparison with a missing column is false.</summary>
    private static readonly DateTimeOffset SuspendedFloor = new(1601, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<string> conditions;

    private VisibilityQueryPlan(string prefix, string lower, string upper, List<string> conditions, int pageSize)
    {
        Prefix = prefix;
        Lower = lower;
        Upper = upper;
        this.conditions = conditions;
        PageSize = pageSize;
    }

    /// <summary>The driver's key prefix: every key the plan reads starts with it.</summary>
    public string Prefix { get; }

    /// <summary>Inclusive lower RowKey bound.</summary>
    public string Lower { get; }

    /// <summary>Exclusive upper RowKey bound.</summary>
    public string Upper { get; }

    /// <summary>Items per page.</summary>
    public int PageSize { get; }

    /// <summary>True when the start-time range is empty: nothing can match.</summary>
    public bool IsEmpty => string.CompareOrdinal(Lower, Upper) >= 0;

    /// <summary>Validates <paramref name="query"/> and plans it.</summary>
    /// <exception cref="InvalidWorkflowRequestException">The query cannot be served: the message says why.</exception>
    public static VisibilityQueryPlan Create(WorkflowListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.PageSize is < 1 or > 1000)
        {
            throw new InvalidWorkflowRequestException($"Page size {query.PageSize} is out of range: use 1–1000.");
        }

        var filters = query.SearchAttributes.Select(Normalize).ToList();
        var conditions = new List<string>();
        var comparisons = RangeComparisons;
        void Add(string condition, int count)
        {
            conditions.Add(condition);
            comparisons += count;
        }

        // Only a running workflow is suspended: that is the status to read by, unless the query names another (then nothing matches).
        var statusFilter = query.Suspended ? query.Status ?? WorkflowStatus.Running : query.Status;
        string prefix;
        var driver = filters.FindIndex(filter => filter.Operator == SearchAttributeOperator.Eq);
        if (driver >= 0)
        {
            var (name, _, value) = filters[driver];
            prefix = VisibilityKeys.ForAttribute(name, value);
            if (value.IsHashed)
            {
                Add(Compare(name, SearchAttributeOperator.Eq, value), 1); // A hash alone could collide.
            }

            filters.RemoveAt(driver);
        }
        else
        {
            prefix = (query.WorkflowType, statusFilter) switch
            {
                ({ } type, { } status) => VisibilityKeys.ForTypeAndStatus(type, status),
                ({ } type, null) => VisibilityKeys.ForType(type),
                (null, { } status) => VisibilityKeys.ForStatus(status),
                _ => VisibilityKeys.StartPrefix,
            };
        }

        if (statusFilter is { } wantedStatus && driver >= 0)
        {
            Add(TableClient.CreateQueryFilter($"Status eq {wantedStatus.ToString()}"), 1);
        }

        if (query.WorkflowType is { } wantedType && driver >= 0)
        {
            Add(TableClient.CreateQueryFilter($"WorkflowType eq {wantedType}"), 1);
        }

        if (query.IdPrefix is { Length: > 0 } idPrefix)
        {
            if (Successor(idPrefix) is { } end)
            {
                Add(TableClient.CreateQueryFilter($"WorkflowId ge {idPrefix} and WorkflowId lt {end}"), 2);
            }
            else
            {
                Add(TableClient.CreateQueryFilter($"WorkflowId ge {idPrefix}"), 1);
            }
        }

        if (query.ClosedAfter is { } closedAfter)
        {
            Add(TableClient.CreateQueryFilter($"ClosedAt ge {closedAfter.ToUniversalTime()}"), 1);
        }

        if (query.ClosedBefore is { } closedBefore)
        {
            Add(TableClient.CreateQueryFilter($"ClosedAt lt {closedBefore.ToUniversalTime()}"), 1);
        }

        if (query.Suspended)
        {
            Add(TableClient.CreateQueryFilter($"SuspendedAt ge {SuspendedFloor}"), 1);
        }

        foreach (var (name, op, value) in filters)
        {
            Add(Compare(name, op, value), 1);
        }

        if (comparisons > AzureLimits.MaxFilterComparisons)
        {
            throw new InvalidWorkflowRequestException(
                $"This listing needs {comparisons} comparisons per query; Azure Table storage allows {AzureLimits.MaxFilterComparisons}. Use fewer search attribute conditions.");
        }

        // Keys are prefix + inv(start) + "|" + h: started before b ⇔ inv(start) > inv(b); at or after a ⇔ inv(start) ≤ inv(a).
        var lower = query.StartedBefore is { } before ? prefix + VisibilityKeys.Inverted(before) + "}" : prefix;
        var upper = query.StartedAfter is { } after ? prefix + VisibilityKeys.Inverted(after) + "}" : VisibilityKeys.End(prefix);
        return new VisibilityQueryPlan(prefix, lower, upper, conditions, query.PageSize);
    }

    /// <summary>The filter of one shard, resuming after <paramref name="after"/> (null: from the start of the range).</summary>
    public string Filter(string partitionKey, string? after)
    {
        var range = after is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {Lower} and RowKey lt {Upper}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey gt {after} and RowKey lt {Upper}");
        return string.Concat(conditions.Select(condition => " and " + condition).Prepend(range));
    }

    /// <summary>The smallest string greater than every string starting with <paramref name="prefix"/> (ordinal); null if there is none.</summary>
    internal static string? Successor(string prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] != char.MaxValue)
            {
                return string.Concat(prefix.AsSpan(0, i), ((char)(prefix[i] + 1)).ToString());
            }
        }

        return null;
    }

    private static (string Name, SearchAttributeOperator Operator, SearchAttributeValue Value) Normalize(SearchAttributeFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Name is null || !SearchAttributeValue.IsValidName(filter.Name))
        {
            throw new InvalidWorkflowRequestException($"Search attribute name '{filter.Name}' is invalid: use a letter, then up to 63 letters, digits or underscores.");
        }

        var value = SearchAttributeValue.From(filter.Value)
            ?? throw new InvalidWorkflowRequestException(
                $"The value of the filter on search attribute '{filter.Name}' is of type {filter.Value?.GetType().Name ?? "null"}: use a string (Keyword), an integer (Int), a number (Double), a bool (Bool) or a DateTimeOffset (Datetime).");
        if (filter.Operator != SearchAttributeOperator.Eq && value.Type is SearchAttributeType.Keyword or SearchAttributeType.Bool)
        {
            throw new InvalidWorkflowRequestException(
                $"The filter on search attribute '{filter.Name}' uses {filter.Operator} on a {value.Type} value: range filters apply to Int, Double and Datetime. Use Eq.");
        }

        return (filter.Name, filter.Operator, value);
    }

    /// <summary>A comparison of the attribute's column; the name is validated, the value goes through the SDK's escaping.</summary>
    private static string Compare(string name, SearchAttributeOperator op, SearchAttributeValue value)
    {
        var odata = op switch
        {
            SearchAttributeOperator.Eq => "eq",
            SearchAttributeOperator.Ge => "ge",
            SearchAttributeOperator.Gt => "gt",
            SearchAttributeOperator.Le => "le",
            SearchAttributeOperator.Lt => "lt",
            _ => throw new InvalidWorkflowRequestException($"Search attribute operator {op} is not one of Eq, Ge, Gt, Le, Lt."),
        };
        return TableClient.CreateQueryFilter(FormattableStringFactory.Create(SearchAttributeValue.ColumnPrefix + name + " " + odata + " {0}", value.Value));
    }
}
