using System.Text.Json;

namespace ServerlessFlow.Functions.Tests;

/// <summary>One function of functions.metadata, as the Functions host reads it: its name, entry point and trigger binding.</summary>
/// <param name="Name">The function name.</param>
/// <param name="EntryPoint">The method the host invokes, <c>Namespace.Type.Method</c>.</param>
/// <param name="Trigger">The trigger binding (the one binding whose type ends in "Trigger").</param>
internal sealed record GeneratedFunction(string Name, string EntryPoint, JsonElement Trigger)
{
    public string TriggerType => Trigger.GetProperty("type").GetString()!;

    public string? Route => Optional("route");

    public string? AuthLevel => Optional("authLevel");

    public string? QueueName => Optional("queueName");

    public string? Connection => Optional("connection");

    public string? Schedule => Optional("schedule");

    public IReadOnlyList<string> Methods => Trigger.TryGetProperty("methods", out var methods)
        ? [.. methods.EnumerateArray().Select(m => m.GetString()!)]
        : [];

    /// <summary>Reads every function of the file the Functions SDK generated.</summary>
    public static IReadOnlyList<GeneratedFunction> ReadAll(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.EnumerateArray().Select(f => new GeneratedFunction(
            f.GetProperty("name").GetString()!,
            f.GetProperty("entryPoint").GetString()!,
            f.GetProperty("bindings").EnumerateArray()
                .Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal))
                .Clone()))];
    }

    private string? Optional(string property) => Trigger.TryGetProperty(property, out var value) ? value.GetString() : null;
}
