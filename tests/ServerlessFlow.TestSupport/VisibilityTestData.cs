using System.Globalization;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.TestSupport;

/// <summary>
/// Deterministic visibility records for the conformance suite: 3,000 workflows of 10 types (names that need
/// escaping among them), every status, IDs with shared prefixes, reserved characters and non-Latin text,
/// distinct start times over 60 days, distinct close times for the closed ones, and on most of them a Keyword,
/// an Int and a Datetime attribute (a Double and a Bool on some).
/// </summary>
public static class VisibilityTestData
{
    /// <summary>Records generated.</summary>
    public const int Count = 3_000;

    /// <summary>A Keyword attribute.</summary>
    public const string Region = "Region";

    /// <summary>An Int attribute.</summary>
    public const string Amount = "Amount";

    /// <summary>A Datetime attribute.</summary>
    public const string DueAt = "DueAt";

    /// <summary>A Double attribute.</summary>
    public const string Score = "Score";

    /// <summary>A Bool attribute.</summary>
    public const string Vip = "Vip";

    /// <summary>A Keyword value longer than the index keeps in a key (it is hashed there).</summary>
    public static readonly string LongRegion = "long-region-" + new string('r', 140);

    /// <summary>The first start time; the others follow within 60 days.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The workflow types.</summary>
    public static readonly IReadOnlyList<string> Types =
        ["Orders", "Billing/Invoice", "Ship#ment", "Q?uery", "Pct%Type", "Caret^Type", "Pipe|Type", "Тип", "日本の型", "Plain"];

    /// <summary>ID prefixes: "order-" is a prefix of two others.</summary>
    public static readonly IReadOnlyList<string> IdPrefixes =
        ["order-", "order-eu/", "order-eu/#", "pay?ment/", "100%/", "a^b|c-", "заказ-", "注文/", "ä/日本/😀-", "plain\\"];

    /// <summary>Values of <see cref="Region"/>.</summary>
    public static readonly IReadOnlyList<string> Regions = ["eu-west", "us/east#1", "ap?south", "Ünïcødé/地域", "x|y^z%'", LongRegion];

    private static readonly TimeSpan Span = TimeSpan.FromDays(60);

    /// <summary>The records, in generation order.</summary>
    public static IReadOnlyList<VisibilityRecord> Records { get; } = Generate();

    /// <summary>The IDs of the records matching <paramref name="predicate"/>, newest start first: what a listing must return.</summary>
    public static List<string> Oracle(Func<VisibilityRecord, bool> predicate) =>
        Records.Where(predicate).OrderByDescending(record => record.StartedAt).Select(record => record.WorkflowId).ToList();

    /// <summary>Every field of a record as text, for comparing records whose attribute dictionaries are not comparable by value.</summary>
    public static string Canonical(VisibilityRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var attributes = record.SearchAttributes
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => pair.Key + "=" + pair.Value.GetType().Name + ":" + pair.Value switch
            {
                DateTimeOffset at => at.UtcTicks.ToString(CultureInfo.InvariantCulture),
                double number => number.ToString("R", CultureInfo.InvariantCulture),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString(),
            });
        return string.Join(" | ",
            record.WorkflowId, record.RunId, record.WorkflowType, record.TaskQueue, record.Status,
            record.StartedAt.UtcTicks, record.ClosedAt?.UtcTicks, record.HistoryLength, record.Version, string.Join(", ", attributes),
            record.Suspension?.SuspendedAt.UtcTicks, record.Suspension?.Reason);
    }

    private static List<VisibilityRecord> Generate()
    {
        var random = new Random(20_261_123);
        var statuses = Enum.GetValues<WorkflowStatus>();
        var step = Span.Ticks / Count;
        var slots = Enumerable.Range(0, Count).ToArray();
        random.Shuffle(slots);
        var closes = new HashSet<long>();
        var records = new List<VisibilityRecord>(Count);
        for (var i = 0; i < Count; i++)
        {
            var startedAt = Epoch.AddTicks((slots[i] * step) + random.NextInt64(step));
            var status = statuses[random.Next(statuses.Length)];
            DateTimeOffset? closedAt = null;
            if (status != WorkflowStatus.Running)
            {
                var close = startedAt.AddTicks(random.NextInt64(TimeSpan.TicksPerSecond, TimeSpan.FromDays(3).Ticks));
                while (!closes.Add(close.UtcTicks))
                {
                    close = close.AddTicks(1);
                }

                closedAt = close;
            }

            var attributes = new Dictionary<string, object>(StringComparer.Ordinal);
            if (random.NextDouble() < 0.9)
            {
                attributes[Region] = Regions[random.Next(Regions.Count)];
            }

            if (random.NextDouble() < 0.85)
            {
                attributes[Amount] = random.NextInt64(-1_000, 100_000);
            }

            if (random.NextDouble() < 0.8)
            {
                attributes[DueAt] = startedAt.AddTicks(random.NextInt64(TimeSpan.FromDays(30).Ticks));
            }

            if (random.NextDouble() < 0.5)
            {
                attributes[Score] = random.Next(-40, 400) / 4.0;
            }

            if (random.NextDouble() < 0.4)
            {
                attributes[Vip] = random.Next(2) == 1;
            }

            var runBytes = new byte[16];
            random.NextBytes(runBytes);
            records.Add(new VisibilityRecord
            {
                WorkflowId = IdPrefixes[i % IdPrefixes.Count] + i.ToString("D4", CultureInfo.InvariantCulture),
                RunId = new Guid(runBytes).ToString("N"),
                WorkflowType = Types[random.Next(Types.Count)],
                TaskQueue = "queue-" + (i % 3).ToString(CultureInfo.InvariantCulture),
                Status = status,
                StartedAt = startedAt,
                ClosedAt = closedAt,
                HistoryLength = random.Next(1, 500),
                Version = random.NextInt64(1, 1_000_000_000_000),
                SearchAttributes = attributes,

                // Every fourth running record is suspended (no draw: the records before this column stay as they were).
                Suspension = status == WorkflowStatus.Running && i % 4 == 0 ? new WorkflowSuspension(startedAt.AddMinutes(5), i % 8 == 0 ? "incident" : null) : null,
            });
        }

        return records;
    }
}
