using System.Globalization;
using System.Text;
using System.Text.Json;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.InMemory;

/// <summary>
/// The visibility index in process memory, with the Azure backend's semantics: higher version wins, listings
/// newest start first with an opaque token, the same validation of filters. For users' fast unit tests only.
/// </summary>
internal sealed class InMemoryVisibilityStore : IVisibilityStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, VisibilityRecord> entries = new(StringComparer.Ordinal);

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task UpsertAsync(VisibilityRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var attributes = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in record.SearchAttributes)
        {
            attributes[name] = Normalize(value)
                ?? throw new ArgumentException($"Search attribute '{name}' of workflow '{record.WorkflowId}' has a value of type {value?.GetType().Name ?? "null"}; use string, long, double, bool or DateTimeOffset.", nameof(record));
        }

        lock (gate)
        {
            if (!entries.TryGetValue(record.WorkflowId, out var stored) || stored.Version < record.Version)
            {
                entries[record.WorkflowId] = record with { SearchAttributes = attributes };
            }
        }

        return Task.CompletedTask;
    }

    public Task<VisibilityPage> QueryAsync(WorkflowListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.PageSize is < 1 or > 1000)
        {
            throw new InvalidWorkflowRequestException($"Page size {query.PageSize} is out of range: use 1–1000.");
        }

        var filters = query.SearchAttributes.Select(Validate).ToList();
        var cursor = query.ContinuationToken is { } token ? ParseToken(token) : null;
        lock (gate)
        {
            var matching = entries.Values
                .Where(record => Matches(record, query, filters))
                .Where(record => cursor is not { } c || record.StartedAt.UtcTicks < c.StartTicks
                    || (record.StartedAt.UtcTicks == c.StartTicks && string.CompareOrdinal(record.WorkflowId, c.WorkflowId) > 0))
                .OrderByDescending(record => record.StartedAt.UtcTicks)
                .ThenBy(record => record.WorkflowId, StringComparer.Ordinal)
                .Take(query.PageSize + 1)
                .ToList();
            var page = matching.Take(query.PageSize).ToList();
            var next = matching.Count > query.PageSize ? FormatToken(new Cursor(page[^1].StartedAt.UtcTicks, page[^1].WorkflowId)) : null;
            return Task.FromResult(new VisibilityPage(page, next));
        }
    }

    public Task DeleteAsync(string workflowId, long maxVersion, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (entries.TryGetValue(workflowId, out var stored) && stored.Version <= maxVersion)
            {
                entries.Remove(workflowId);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<VisibilityRecord>> FindClosedBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            IReadOnlyList<VisibilityRecord> closed = entries.Values
                .Where(record => record.ClosedAt < cutoff)
                .OrderBy(record => record.ClosedAt)
                .ThenBy(record => record.WorkflowId, StringComparer.Ordinal)
                .Take(Math.Max(0, max))
                .ToList();
            return Task.FromResult(closed);
        }
    }

    private static bool Matches(VisibilityRecord record, WorkflowListQuery query, List<SearchAttributeFilter> filters) =>
        (query.Status is null || record.Status == query.Status)
        && (query.WorkflowType is null || record.WorkflowType == query.WorkflowType)
        && (query.IdPrefix is null || record.WorkflowId.StartsWith(query.IdPrefix, StringComparison.Ordinal))
        && (query.StartedAfter is null || record.StartedAt >= query.StartedAfter)
        && (query.StartedBefore is null || record.StartedAt < query.StartedBefore)
        && (query.ClosedAfter is null || record.ClosedAt >= query.ClosedAfter)
        && (query.ClosedBefore is null || record.ClosedAt < query.ClosedBefore)
        && (!query.Suspended || record.Suspension is not null)
        && filters.TrueForAll(filter => record.SearchAttributes.TryGetValue(filter.Name, out var stored) && Compare(stored, filter) is { } order && filter.Operator switch
        {
            SearchAttributeOperator.Eq => order == 0,
            SearchAttributeOperator.Ge => order >= 0,
            SearchAttributeOperator.Gt => order > 0,
            SearchAttributeOperator.Le => order <= 0,
            _ => order < 0,
        });

    /// <summary>How the stored value orders against the filter's; null when their types differ (never a match).</summary>
    private static int? Compare(object stored, SearchAttributeFilter filter) => (stored, filter.Value) switch
    {
        (string a, string b) => string.Equals(a, b, StringComparison.Ordinal) ? 0 : 1,
        (bool a, bool b) => a == b ? 0 : 1,
        (long a, long b) => a.CompareTo(b),
        (double a, double b) => a.CompareTo(b),
        (DateTimeOffset a, DateTimeOffset b) => a.UtcTicks.CompareTo(b.UtcTicks),
        _ => null,
    };

    /// <summary>Checks a filter as the Azure backend does and normalizes its value.</summary>
    private static SearchAttributeFilter Validate(SearchAttributeFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Name is not { Length: > 0 and <= 64 } name || !char.IsAsciiLetter(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new InvalidWorkflowRequestException($"Search attribute name '{filter.Name}' is invalid: use a letter, then up to 63 letters, digits or underscores.");
        }

        var value = Normalize(filter.Value)
            ?? throw new InvalidWorkflowRequestException(
                $"The value of the filter on search attribute '{filter.Name}' is of type {filter.Value?.GetType().Name ?? "null"}: use a string (Keyword), an integer (Int), a number (Double), a bool (Bool) or a DateTimeOffset (Datetime).");
        if (filter.Operator != SearchAttributeOperator.Eq && value is string or bool)
        {
            throw new InvalidWorkflowRequestException(
                $"The filter on search attribute '{filter.Name}' uses {filter.Operator} on a {(value is string ? "Keyword" : "Bool")} value: range filters apply to Int, Double and Datetime. Use Eq.");
        }

        return filter with { Value = value };
    }

    /// <summary>The stored form: string, long, double, bool, or DateTimeOffset in UTC; null for other types.</summary>
    private static object? Normalize(object? value) => value switch
    {
        string or bool => value,
        long or int or short or sbyte or byte or ushort or uint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        ulong big when big <= long.MaxValue => (long)big,
        double or float or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        DateTimeOffset at => at.ToUniversalTime(),
        DateTime at => at.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(at, TimeSpan.Zero) : new DateTimeOffset(at.ToUniversalTime()),
        _ => null,
    };

    private static string FormatToken(Cursor cursor) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(cursor, Serialization.EngineJson.Cursor));

    private static Cursor ParseToken(string token)
    {
        try
        {
            return JsonSerializer.Deserialize(Convert.FromBase64String(token), Serialization.EngineJson.Cursor) is { WorkflowId: not null } cursor
                ? cursor
                : throw Malformed(token, null);
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException)
        {
            throw Malformed(token, e);
        }
    }

    private static InvalidWorkflowRequestException Malformed(string token, Exception? inner) =>
        new($"Continuation token '{(token.Length > 40 ? token[..40] + "…" : token)}' is not one this listing returned: pass the token of the previous page unchanged, with the same filters.", inner);

    /// <summary>Where a listing page ended: the last item's start and ID.</summary>
    /// <summary>Where a listing page ends: the next page starts after it.</summary>
    internal sealed record Cursor(long StartTicks, string WorkflowId);
}
