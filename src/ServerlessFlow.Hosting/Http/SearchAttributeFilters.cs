using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// The search-attribute filters of a workflow query string: <c>sa.{Name}=value</c> (equal) and
/// <c>sa.{Name}.{ge|gt|le|lt}=value</c>, each repeatable, all of which must hold.
/// </summary>
/// <remarks>
/// The HTTP layer does not know the registered attribute types, so it reads the value by its form
/// (<see cref="ParseValue"/>) and the engine converts it to the registered type, refusing a mismatch.
/// </remarks>
internal static class SearchAttributeFilters
{
    /// <summary>The prefix of every search-attribute parameter, matched case-insensitively.</summary>
    public const string Prefix = "sa.";

    private static readonly Dictionary<string, SearchAttributeOperator> RangeOperators = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ge"] = SearchAttributeOperator.Ge,
        ["gt"] = SearchAttributeOperator.Gt,
        ["le"] = SearchAttributeOperator.Le,
        ["lt"] = SearchAttributeOperator.Lt,
    };

    /// <summary>Every <c>sa.</c> parameter of the request, in the order sent.</summary>
    /// <exception cref="InvalidWorkflowRequestException">A parameter has no name, an unknown operator or no value.</exception>
    public static IReadOnlyList<SearchAttributeFilter> Read(HttpRequest request)
    {
        var filters = new List<SearchAttributeFilter>();
        foreach (var (key, rawValue) in RequestTarget.QueryParameters(request))
        {
            if (key is null || !key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var parts = key[Prefix.Length..].Split('.');
            var name = parts[0];
            var op = parts.Length switch
            {
                1 => SearchAttributeOperator.Eq,
                2 when RangeOperators.TryGetValue(parts[1], out var range) => range,
                _ => throw Invalid(key, $"is not sa.{{Name}} or sa.{{Name}}.{{{string.Join("|", RangeOperators.Keys)}}}"),
            };
            if (name.Length == 0)
            {
                throw Invalid(key, "names no search attribute");
            }

            var value = RequestTarget.DecodedValue(key, rawValue);
            if (value.Length == 0)
            {
                throw Invalid(key, "has no value; give one (\"\" in double quotes for the empty text)");
            }

            filters.Add(new SearchAttributeFilter(name, op, ParseValue(value)));
        }

        return filters;
    }

    /// <summary>
    /// A filter value by its form: <c>true</c>/<c>false</c> → bool; an integer literal → long; another finite number →
    /// double; an ISO 8601 date-time with an offset → DateTimeOffset; text in double quotes → the text inside (so that
    /// <c>"123"</c> is the text 123); anything else → the text itself.
    /// </summary>
    public static object ParseValue(string text)
    {
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            return text[1..^1];
        }

        if (text is "true" or "false")
        {
            return text == "true";
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        const NumberStyles number = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (double.TryParse(text, number, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return real;
        }

        return Timestamps.TryParse(text, out var time) ? time : text;
    }

    private static InvalidWorkflowRequestException Invalid(string key, string what) => new(
        $"The query parameter '{key}' {what}. Filter on a search attribute with sa.CustomerId=ann (equal) or sa.Amount.ge=100 " +
        "(ge, gt, le, lt: at least, more than, at most, less than).");
}
