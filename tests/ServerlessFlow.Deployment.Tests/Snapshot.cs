using System.Text.Json.Nodes;

namespace ServerlessFlow.Deployment.Tests;

/// <summary>
/// A bicep deployment snapshot: every resource the template would deploy, with modules flattened
/// and every expression that does not need a live deployment evaluated (names, parameters, IDs).
/// Values known only at deployment time stay as "[reference('&lt;resource ID&gt;', ...).property]".
/// </summary>
public sealed class Snapshot
{
    private const string RoleAssignmentsSegment = "/providers/Microsoft.Authorization/roleAssignments/";

    private Snapshot(IReadOnlyList<JsonObject> resources, JsonObject outputs)
    {
        Resources = resources;
        Outputs = outputs;
    }

    /// <summary>The predicted resources.</summary>
    public IReadOnlyList<JsonObject> Resources { get; }

    /// <summary>The template's outputs, evaluated where possible.</summary>
    public JsonObject Outputs { get; }

    /// <summary>Parses the JSON that "bicep snapshot" writes.</summary>
    public static Snapshot Parse(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var resources = root["predictedResources"]!.AsArray().Select(node => node!.AsObject()).ToList();
        return new Snapshot(resources, root["outputs"]?.AsObject() ?? []);
    }

    /// <summary>All resources of <paramref name="type"/> (case-insensitive, as ARM compares types).</summary>
    public IReadOnlyList<JsonObject> OfType(string type) =>
        Resources.Where(resource => string.Equals((string?)resource["type"], type, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The only resource of <paramref name="type"/>; fails when there is none or several.</summary>
    public JsonObject Only(string type)
    {
        var matches = OfType(type);
        Assert.True(matches.Count == 1, $"Expected exactly one {type}, found {matches.Count}.");
        return matches[0];
    }

    /// <summary>The last segment of each resource's name, e.g. the table name of "account/default/table".</summary>
    public IReadOnlyList<string> LeafNames(string type) =>
        OfType(type).Select(resource => ((string)resource["name"]!).Split('/')[^1]).ToList();

    /// <summary>The app settings of the one Function App, as name → value.</summary>
    public IReadOnlyDictionary<string, string> AppSettings()
    {
        var site = Only("Microsoft.Web/sites");
        var settings = site["properties"]?["siteConfig"]?["appSettings"]?.AsArray()
            ?? throw new InvalidOperationException("The Function App has no siteConfig.appSettings.");
        return settings.ToDictionary(setting => (string)setting!["name"]!, setting => (string)setting!["value"]!, StringComparer.Ordinal);
    }

    /// <summary>The resource ID a role assignment is scoped to (the part of its ID before the extension segment).</summary>
    public static string RoleAssignmentScope(JsonObject roleAssignment)
    {
        var id = (string)roleAssignment["id"]!;
        var index = id.IndexOf(RoleAssignmentsSegment, StringComparison.OrdinalIgnoreCase);
        Assert.True(index > 0, $"Role assignment ID '{id}' is not an extension resource ID.");
        return id[..index];
    }

    /// <summary>The role definition GUID a role assignment grants.</summary>
    public static string RoleDefinitionGuid(JsonObject roleAssignment) =>
        ((string)roleAssignment["properties"]!["roleDefinitionId"]!).Split('/')[^1];

    /// <summary>
    /// Whether <paramref name="value"/> is the deployment-time expression reading
    /// <paramref name="propertyPath"/> of the resource <paramref name="resourceId"/>.
    /// </summary>
    public static bool IsReference(string value, string resourceId, string propertyPath) =>
        value.StartsWith($"[reference('{resourceId}', '", StringComparison.OrdinalIgnoreCase)
        && value.EndsWith($").{propertyPath}]", StringComparison.Ordinal);
}
