using System.Globalization;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// RowKeys inside a workflow's partition. Every kind has its own prefix, so a kind is one key range:
/// <list type="bullet">
/// <item><c>i</c> — the instance row (the fence of every commit).</item>
/// <item><c>h|{run}|{eventId:D19}</c> — a history event; sorts by run, then event ID.</item>
/// <item><c>m|{inboxKey}</c> — an inbox row.</item>
/// <item><c>a|{run}|{scheduledEventId:D19}</c> — an activity row.</item>
/// <item><c>r|{run}</c> — the run row: the run's committed last event, which bounds reads of runs that are no longer current.</item>
/// <item><c>n</c> — the inbox sequence row: its ETag changes with every inbox insert (<see cref="InboxSequenceRow"/>).</item>
/// <item><c>{key}|{part:D4}</c> — continuation rows of a payload too big for one row, right after their main row.</item>
/// </list>
/// Segments are escaped with <see cref="KeyEscaping"/>, which never leaves a <c>|</c> in them, so a range
/// ending in <c>}</c> (the character after <c>|</c>) covers exactly one prefix and its continuation rows.
/// </summary>
internal static class RowKeys
{
    /// <summary>The instance row.</summary>
    public const string Instance = "i";

    /// <summary>The inbox sequence row.</summary>
    public const string InboxSequence = "n";

    /// <summary>Inclusive start of the inbox range.</summary>
    public const string InboxStart = "m|";

    /// <summary>Exclusive end of the inbox range.</summary>
    public const string InboxEnd = "m}";

    private const string HistoryPrefix = "h|";
    private const string InboxPrefix = "m|";
    private const string ActivityPrefix = "a|";
    private const string RunPrefix = "r|";

    /// <summary>Digits of a zero-padded event ID: long.MaxValue has 19.</summary>
    private const string EventIdFormat = "D19";

    /// <summary>Digits of a continuation part number: a 2 MB payload needs 4 rows, 9999 is far beyond any limit.</summary>
    private const string PartFormat = "D4";

    /// <summary>The history row of an event.</summary>
    public static string History(string runId, long eventId) =>
        Checked(HistoryPrefix + KeyEscaping.Escape(runId) + KeyEscaping.Separator + eventId.ToString(EventIdFormat, CultureInfo.InvariantCulture));

    /// <summary>Exclusive lower bound of the history after <paramref name="eventId"/>: past that event's continuation rows.</summary>
    public static string HistoryAfter(string runId, long eventId) => History(runId, eventId) + "}";

    /// <summary>Exclusive upper bound of a run's history.</summary>
    public static string HistoryEnd(string runId) => HistoryPrefix + KeyEscaping.Escape(runId) + "}";

    /// <summary>The run row.</summary>
    public static string Run(string runId) => Checked(RunPrefix + KeyEscaping.Escape(runId));

    /// <summary>The inbox row of a key.</summary>
    public static string Inbox(string inboxKey) => Checked(InboxPrefix + KeyEscaping.Escape(inboxKey));

    /// <summary>The activity row.</summary>
    public static string Activity(string runId, long scheduledEventId) =>
        Checked(ActivityPrefix + KeyEscaping.Escape(runId) + KeyEscaping.Separator + scheduledEventId.ToString(EventIdFormat, CultureInfo.InvariantCulture));

    /// <summary>Inclusive start of a run's activity rows.</summary>
    public static string ActivitiesStart(string runId) => ActivityPrefix + KeyEscaping.Escape(runId) + KeyEscaping.Separator;

    /// <summary>Exclusive end of a run's activity rows.</summary>
    public static string ActivitiesEnd(string runId) => ActivityPrefix + KeyEscaping.Escape(runId) + "}";

    /// <summary>Continuation row <paramref name="part"/> (from 1) of a main row.</summary>
    public static string Continuation(string mainKey, int part) =>
        mainKey + KeyEscaping.Separator + part.ToString(PartFormat, CultureInfo.InvariantCulture);

    /// <summary>Exclusive upper bound of a main row's continuation rows (inclusive lower bound: the main key + "|").</summary>
    public static string ContinuationEnd(string mainKey) => mainKey + "}";

    /// <summary>True for a main history row (not a continuation row).</summary>
    public static bool IsHistoryMain(string rowKey) => rowKey.StartsWith(HistoryPrefix, StringComparison.Ordinal) && Segments(rowKey) == 3;

    /// <summary>True for a main inbox row (not a continuation row).</summary>
    public static bool IsInboxMain(string rowKey) => rowKey.StartsWith(InboxPrefix, StringComparison.Ordinal) && Segments(rowKey) == 2;

    /// <summary>The event ID of a main history row.</summary>
    public static long EventIdOf(string historyRowKey) =>
        long.Parse(historyRowKey.AsSpan(historyRowKey.LastIndexOf(KeyEscaping.Separator) + 1), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>The main row a continuation row belongs to.</summary>
    public static string MainOf(string continuationKey) => continuationKey[..continuationKey.LastIndexOf(KeyEscaping.Separator)];

    private static int Segments(string rowKey) => rowKey.Count(c => c == KeyEscaping.Separator) + 1;

    private static string Checked(string rowKey) =>
        rowKey.Length + 5 <= AzureLimits.MaxKeyLength
            ? rowKey
            : throw new InvalidWorkflowRequestException(
                $"Table row key '{rowKey[..40]}…' is {rowKey.Length} characters once escaped; the limit is {AzureLimits.MaxKeyLength - 5}. Use a shorter run ID or inbox key.");
}
