using System.Globalization;
using Microsoft.AspNetCore.Http;
using ServerlessFlow.Engine.Client;

namespace ServerlessFlow.Hosting.Http;

/// <summary>Reads and validates the query parameters several endpoints share: waits, counts, dates, names, tokens and idempotency keys.</summary>
internal static class QueryValues
{
    /// <summary>Longest wait any endpoint holds a request for: well inside every proxy's and the Functions host's HTTP timeout.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    /// <summary>Largest page of any list.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Page size of a list when the request gives none.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>
    /// The <c>wait</c> parameter in seconds (fractions allowed): <paramref name="whenAbsent"/> when it is not
    /// given, at most <see cref="MaxWait"/> (a longer wait is shortened, not refused).
    /// </summary>
    /// <exception cref="InvalidWorkflowRequestException">It is negative or not a number.</exception>
    public static TimeSpan Wait(HttpRequest request, TimeSpan whenAbsent)
    {
        var text = RequestTarget.QueryParameter(request, "wait");
        if (string.IsNullOrEmpty(text))
        {
            return whenAbsent;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !double.IsFinite(seconds) || seconds < 0)
        {
            throw new InvalidWorkflowRequestException($"wait='{text}' is not a number of seconds; give a number from 0 to {MaxWait.TotalSeconds}.");
        }

        return seconds >= MaxWait.TotalSeconds ? MaxWait : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// The <c>startDelay</c> parameter of a start in seconds (fractions allowed), as <c>wait</c> is given: null when absent or empty
    /// (start at once, as 0 does); at most <see cref="StartWorkflowOptions.MaxStartDelay"/>.
    /// </summary>
    /// <exception cref="InvalidWorkflowRequestException">It is not a number, negative, or longer than the bound.</exception>
    public static TimeSpan? StartDelay(HttpRequest request)
    {
        if (Optional(request, "startDelay") is not { } text)
        {
            return null;
        }

        var max = StartWorkflowOptions.MaxStartDelay.TotalSeconds;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds >= 0 && seconds <= max
            ? TimeSpan.FromSeconds(seconds)
            : throw new InvalidWorkflowRequestException(string.Create(CultureInfo.InvariantCulture,
                $"startDelay='{text}' is not a number of seconds from 0 to {max} (365 days); for later starts, create a schedule. Nothing was started."));
    }

    /// <summary>The <c>pageSize</c> parameter: <see cref="DefaultPageSize"/> when absent.</summary>
    /// <exception cref="InvalidWorkflowRequestException">It is not a whole number from 1 to <see cref="MaxPageSize"/>.</exception>
    public static int PageSize(HttpRequest request) => WholeNumber(request, "pageSize", DefaultPageSize, MaxPageSize);

    /// <summary>The parameter <paramref name="name"/> as a whole number from 1 to <paramref name="max"/>; <paramref name="whenAbsent"/> when absent or empty.</summary>
    /// <exception cref="InvalidWorkflowRequestException">It is not a whole number from 1 to <paramref name="max"/>.</exception>
    public static int WholeNumber(HttpRequest request, string name, int whenAbsent, int max)
    {
        var text = RequestTarget.QueryParameter(request, name);
        if (string.IsNullOrEmpty(text))
        {
            return whenAbsent;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max
            ? value
            : throw new InvalidWorkflowRequestException($"{name}='{text}' is not a whole number from 1 to {max}.");
    }

    /// <summary>The parameter <paramref name="name"/> as a date-time (see <see cref="Timestamps"/>); null when absent or empty.</summary>
    /// <exception cref="InvalidWorkflowRequestException">It is not an ISO 8601 date-time with an offset.</exception>
    public static DateTimeOffset? Timestamp(HttpRequest request, string name) => Optional(request, name) is not { } text
        ? null
        : Timestamps.TryParse(text, out var value)
            ? value
            : throw new InvalidWorkflowRequestException($"{name}='{text}' is not a date-time; give {Timestamps.Expected}.");

    /// <summary>
    /// The parameter <paramref name="name"/> as one of the names of <typeparamref name="TEnum"/>, case-insensitive; null when absent
    /// or empty. Names only: <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/> would also take numbers, which the API does not promise.
    /// </summary>
    /// <exception cref="InvalidWorkflowRequestException">It is not one of the names.</exception>
    public static TEnum? EnumName<TEnum>(HttpRequest request, string name, string what) where TEnum : struct, Enum
    {
        if (Optional(request, name) is not { } text)
        {
            return null;
        }

        var match = Enum.GetNames<TEnum>().FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        return match is not null
            ? Enum.Parse<TEnum>(match)
            : throw new InvalidWorkflowRequestException($"{name}='{text}' is not {what}; use one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
    }

    /// <summary>The parameter <paramref name="name"/> as <c>true</c> or <c>false</c> (any case); false when absent or empty.</summary>
    /// <exception cref="InvalidWorkflowRequestException">It is something else.</exception>
    public static bool Flag(HttpRequest request, string name) => Optional(request, name) switch
    {
        null => false,
        var text when string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) => true,
        var text when string.Equals(text, "false", StringComparison.OrdinalIgnoreCase) => false,
        var text => throw new InvalidWorkflowRequestException($"{name}='{text}' is neither true nor false."),
    };

    /// <summary>The parameter <paramref name="name"/>, or null when it is absent or empty (an empty filter means no filter).</summary>
    public static string? Optional(HttpRequest request, string name) =>
        RequestTarget.QueryParameter(request, name) is { Length: > 0 } value ? value : null;

    /// <summary>
    /// An idempotency key (<c>requestId</c>, <c>updateId</c>): null when absent. An empty one is refused rather
    /// than ignored, so that a client whose key went missing learns it instead of silently losing idempotency.
    /// </summary>
    /// <exception cref="InvalidWorkflowRequestException">It is empty, too long, or not printable text (<see cref="IdentifierText"/>).</exception>
    public static string? IdempotencyKey(HttpRequest request, string name) =>
        RequestTarget.QueryParameter(request, name) is { } value ? IdentifierText.Validate(value, name, WorkflowIds.MaxRequestIdLength) : null;
}
