using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ServerlessFlow.Engine.Visibility;

/// <summary>
/// The registered search attributes and their types: checks values given at start, upserted by workflows
/// or used in filters, and converts them between their stored JSON form and typed values.
/// </summary>
internal sealed partial class SearchAttributeRegistry
{
    /// <summary>Search attributes one workflow may have (each is a row of the visibility index).</summary>
    public const int MaxAttributes = 20;

    /// <summary>First year a Datetime value may have: Azure Table storage's dates start in 1601.</summary>
    public const int MinYear = 1601;

    /// <summary>Longest Keyword value.</summary>
    public const int MaxKeywordLength = 1024;

    private readonly Dictionary<string, SearchAttributeType> types;

    private SearchAttributeRegistry(Dictionary<string, SearchAttributeType> types) => this.types = types;

    /// <summary>Builds the registry from the registrations, adding every problem to <paramref name="problems"/>.</summary>
    public static SearchAttributeRegistry Build(IEnumerable<KeyValuePair<string, SearchAttributeType>> registrations, List<string> problems)
    {
        var types = new Dictionary<string, SearchAttributeType>(StringComparer.Ordinal)
        {
            [BuiltInSearchAttributes.ScheduledById] = SearchAttributeType.Keyword,
            [BuiltInSearchAttributes.ScheduledStartTime] = SearchAttributeType.Datetime,
        };
        foreach (var (name, type) in registrations)
        {
            if (!ValidName().IsMatch(name))
            {
                problems.Add($"Search attribute name '{name}' is invalid: use a letter followed by up to 63 letters, digits or underscores.");
            }
            else if (!types.TryAdd(name, type))
            {
                problems.Add($"Search attribute '{name}' is registered twice (or is built in).");
            }
        }

        return new SearchAttributeRegistry(types);
    }

    /// <summary>Applies <paramref name="changes"/> (a null value removes the attribute) to <paramref name="current"/>, checking names, types and limits.</summary>
    /// <exception cref="InvalidWorkflowRequestException">An unregistered name, a value of the wrong type, or too many attributes.</exception>
    public IReadOnlyDictionary<string, JsonElement> Apply(IReadOnlyDictionary<string, JsonElement> current, IReadOnlyDictionary<string, object?>? changes) =>
        Merge(current, Normalize(changes));

    /// <summary>The changes in their stored JSON form (null where one removes an attribute), checked against the registrations.</summary>
    /// <exception cref="InvalidWorkflowRequestException">An unregistered name or a value of the wrong type.</exception>
    public IReadOnlyDictionary<string, JsonElement?> Normalize(IReadOnlyDictionary<string, object?>? changes) =>
        (changes ?? new Dictionary<string, object?>()).ToDictionary(
            change => change.Key,
            change => change.Value is null or JsonElement { ValueKind: JsonValueKind.Null }
                ? (JsonElement?)null
                : PayloadJson.ToElement(ToTyped(change.Key, TypeOf(change.Key), change.Value, forFilter: false)),
            StringComparer.Ordinal);

    /// <summary>Applies normalized changes (a null value removes the attribute); the one merge the workflow code, the client and the instance's transition share.</summary>
    /// <exception cref="InvalidWorkflowRequestException">The workflow would have more than <see cref="MaxAttributes"/>.</exception>
    public static IReadOnlyDictionary<string, JsonElement> Merge(IReadOnlyDictionary<string, JsonElement> current, IReadOnlyDictionary<string, JsonElement?> changes)
    {
        var result = new Dictionary<string, JsonElement>(current, StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            if (value is { } set)
            {
                result[name] = set;
            }
            else
            {
                result.Remove(name);
            }
        }

        return result.Count <= MaxAttributes
            ? result
            : throw new InvalidWorkflowRequestException($"A workflow may have at most {MaxAttributes} search attributes; this one would have {result.Count}.");
    }

    /// <summary>The stored attributes as typed values (string, long, double, bool, DateTimeOffset); names no longer registered are left out.</summary>
    public IReadOnlyDictionary<string, object> ToTyped(IReadOnlyDictionary<string, JsonElement> stored)
    {
        var typed = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in stored)
        {
            if (types.TryGetValue(name, out var type))
            {
                typed[name] = ToTyped(name, type, value, forFilter: false);
            }
        }

        return typed;
    }

    /// <summary>The filter with its value converted to the attribute's type.</summary>
    /// <exception cref="InvalidWorkflowRequestException">Unregistered name, wrong value, or a range on Keyword or Bool.</exception>
    public SearchAttributeFilter ToTyped(SearchAttributeFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var type = TypeOf(filter.Name);
        if (filter.Operator != SearchAttributeOperator.Eq && type is SearchAttributeType.Keyword or SearchAttributeType.Bool)
        {
            throw new InvalidWorkflowRequestException(
                $"Search attribute '{filter.Name}' is a {type}: only equality applies; range filters apply to Int, Double and Datetime attributes.");
        }

        return filter with { Value = ToTyped(filter.Name, type, filter.Value, forFilter: true) };
    }

    private SearchAttributeType TypeOf(string name) => types.TryGetValue(name, out var type)
        ? type
        : throw new InvalidWorkflowRequestException(
            $"Search attribute '{name}' is not registered. Register it with AddSearchAttribute(\"{name}\", SearchAttributeType...) in AddServerlessFlow; registered: {string.Join(", ", types.Keys.Order(StringComparer.Ordinal))}.");

    private static object ToTyped(string name, SearchAttributeType type, object value, bool forFilter)
    {
        var element = value as JsonElement?;
        object? typed = type switch
        {
            SearchAttributeType.Keyword => value switch
            {
                string text => text,
                JsonElement { ValueKind: JsonValueKind.String } json => json.GetString(),
                _ => null,
            },
            SearchAttributeType.Int => value switch
            {
                int or long or short or byte or sbyte or ushort or uint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
                JsonElement { ValueKind: JsonValueKind.Number } json when json.TryGetInt64(out var number) => number,
                _ => null,
            },
            SearchAttributeType.Double => value switch
            {
                double or float or decimal or int or long or short or byte or uint => Convert.ToDouble(value, CultureInfo.InvariantCulture),
                JsonElement { ValueKind: JsonValueKind.Number } json => json.GetDouble(),
                _ => null,
            },
            SearchAttributeType.Bool => value switch
            {
                bool flag => flag,
                JsonElement { ValueKind: JsonValueKind.True or JsonValueKind.False } json => json.GetBoolean(),
                _ => null,
            },
            _ => value switch
            {
                DateTimeOffset at => at.ToUniversalTime(),
                DateTime at => new DateTimeOffset(at.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : at).ToUniversalTime(),
                string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) => parsed.ToUniversalTime(),
                JsonElement { ValueKind: JsonValueKind.String } json
                    when DateTimeOffset.TryParse(json.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) => parsed.ToUniversalTime(),
                _ => null,
            },
        };
        if (typed is null || (typed is double d && !double.IsFinite(d)))
        {
            var shown = element?.GetRawText() ?? Convert.ToString(value, CultureInfo.InvariantCulture);
            var hint = type == SearchAttributeType.Keyword && forFilter ? $" In a URL, quote text that looks like a number, date or bool: sa.{name}=\"{shown}\"." : "";
            throw new InvalidWorkflowRequestException($"Search attribute '{name}' is a {type}; the value {shown} is not one.{hint}");
        }

        if (typed is DateTimeOffset { Year: < MinYear })
        {
            throw new InvalidWorkflowRequestException($"Search attribute '{name}' is {typed:O}; Datetime values start at {MinYear}-01-01 (Azure Table storage's range).");
        }

        if (typed is string keyword && Client.IdentifierText.Refused(keyword) is { } refused)
        {
            // Keyword values are index keys (the same rule as IDs applies).
            throw new InvalidWorkflowRequestException(
                $"Search attribute '{name}' contains {refused.What} at position {refused.Index}; Keyword values must be printable text " +
                "(no control characters, line or paragraph separators, lone surrogates or noncharacters).");
        }

        return typed is string { Length: > MaxKeywordLength }
            ? throw new InvalidWorkflowRequestException($"Search attribute '{name}' is longer than {MaxKeywordLength} characters.")
            : typed;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,63}$")]
    private static partial Regex ValidName();
}
