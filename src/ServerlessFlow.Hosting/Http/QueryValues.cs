using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ServerlessFlow.Hosting.Http;

/// <summary>Reads and validates the query parameters several endpoints share: waits, page sizes, tokens and idempotency keys.</summary>
internal static class QueryValues
{
    /// <summary>Longest wait any endpoint holds a request for: well inside every proxy's and the Functions host's HTTP timeout.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    /// <summary>Largest page of any list.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Page size of a list when the request gives none.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>Longest request or update ID: the same limit as workflow IDs, since both end up in table keys.</summary>
    public const int MaxRequestIdLength = 256;

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

    /// <summary>The <c>pageSize</c> parameter: <see cref="DefaultPageSize"/> when absent.</summary>
    /// <exception cref="InvalidWorkflowRequestException">It is not a whole number from 1 to <see cref="MaxPageSize"/>.</exception>
    public static int PageSize(HttpRequest request)
    {
        var text = RequestTarget.QueryParameter(request, "pageSize");
        if (string.IsNullOrEmpty(text))
        {
            return DefaultPageSize;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= MaxPageSize
            ? size
            : throw new InvalidWorkflowRequestException($"pageSize='{text}' is not a whole number from 1 to {MaxPageSize}.");
    }

    /// <summary>The parameter <paramref name="name"/>, or null when it is absent or empty (an empty filter means no filter).</summary>
    public static string? Optional(HttpRequest request, string name) =>
        RequestTarget.QueryParameter(request, name) is { Length: > 0 } value ? value : null;

    /// <summary>
    /// An idempotency key (<c>requestId</c>, <c>updateId</c>): null when absent. An empty one is refused rather
    /// than ignored, so that a client whose key went missing learns it instead of silently losing idempotency.
    /// </summary>
    /// <exception cref="InvalidWorkflowRequestException">It is empty, longer than <see cref="MaxRequestIdLength"/>, or has control characters.</exception>
    public static string? IdempotencyKey(HttpRequest request, string name)
    {
        var value = RequestTarget.QueryParameter(request, name);
        if (value is null)
        {
            return null;
        }

        if (value.Length is 0 or > MaxRequestIdLength)
        {
            throw new InvalidWorkflowRequestException(
                $"{name} has {value.Length} characters; give 1–{MaxRequestIdLength} characters (a GUID is a good choice), or leave the parameter out.");
        }

        return value.Any(char.IsControl)
            ? throw new InvalidWorkflowRequestException($"{name} contains a control character; use printable text (a GUID is a good choice).")
            : value;
    }
}
