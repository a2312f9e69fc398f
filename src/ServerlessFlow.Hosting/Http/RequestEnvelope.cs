using System.Text.Json;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// A request body that is a JSON object with a fixed set of optional members, each at most once, named exactly
/// (a misspelt member would otherwise be dropped, and the workflow start without its input or attributes).
/// An empty body has none of them.
/// </summary>
internal sealed class RequestEnvelope
{
    /// <summary>The member with a workflow's memo: a JSON object of any JSON values.</summary>
    public const string MemoMember = "memo";

    /// <summary>The member with a workflow's search attributes: a JSON object of registered names and values of their type.</summary>
    public const string SearchAttributesMember = "searchAttributes";

    private readonly Dictionary<string, JsonElement> members;
    private readonly string usage;

    private RequestEnvelope(Dictionary<string, JsonElement> members, string usage)
    {
        this.members = members;
        this.usage = usage;
    }

    /// <summary>Splits <paramref name="body"/> into its members.</summary>
    /// <param name="body">The request body; null when it was empty.</param>
    /// <param name="allowed">The member names the body may have.</param>
    /// <param name="usage">What the body must be, with an example: the start of every error message.</param>
    /// <exception cref="InvalidWorkflowRequestException">The body is not an object, or has other or repeated members.</exception>
    public static RequestEnvelope Read(JsonElement? body, IReadOnlyCollection<string> allowed, string usage)
    {
        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (body is not { } element)
        {
            return new RequestEnvelope(members, usage);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(usage, $"it is a JSON {element.ValueKind.ToString().ToLowerInvariant()}");
        }

        foreach (var member in element.EnumerateObject())
        {
            if (!allowed.Contains(member.Name))
            {
                throw Invalid(usage, $"it has the member \"{member.Name}\"");
            }

            if (!members.TryAdd(member.Name, member.Value))
            {
                throw Invalid(usage, $"it has the member \"{member.Name}\" twice");
            }
        }

        return new RequestEnvelope(members, usage);
    }

    /// <summary>The member's value; null when absent.</summary>
    public JsonElement? Member(string name) => members.TryGetValue(name, out var value) ? value : null;

    /// <summary>
    /// The member as a map of names to JSON values (for <see cref="MemoMember"/> and <see cref="SearchAttributesMember"/>);
    /// null when absent or JSON null. The values stay <see cref="JsonElement"/>s (null for JSON null): the engine converts
    /// search attribute values to their registered types.
    /// </summary>
    /// <exception cref="InvalidWorkflowRequestException">It is not a JSON object, or names a key twice.</exception>
    public IReadOnlyDictionary<string, object?>? Map(string name)
    {
        if (Member(name) is not { ValueKind: not JsonValueKind.Null } element)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(usage, $"\"{name}\" is a JSON {element.ValueKind.ToString().ToLowerInvariant()}, not an object of names and values");
        }

        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var entry in element.EnumerateObject())
        {
            if (!map.TryAdd(entry.Name, entry.Value.ValueKind == JsonValueKind.Null ? null : entry.Value))
            {
                throw Invalid(usage, $"\"{name}\" has the key \"{entry.Name}\" twice");
            }
        }

        return map;
    }

    private static InvalidWorkflowRequestException Invalid(string usage, string what) => new($"{usage}; {what}.");
}
