using System.Text.Json;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// The body of a signal-with-start: <c>{"input": …, "signal": …}</c>, the workflow's input (used only if a run
/// starts) and the signal's argument. Both are optional; an empty body means neither.
/// </summary>
/// <param name="Input">The workflow's input; null when absent.</param>
/// <param name="Signal">The signal's argument; null when absent.</param>
internal sealed record SignalWithStartBody(JsonElement? Input, JsonElement? Signal)
{
    private const string InputMember = "input";
    private const string SignalMember = "signal";

    /// <summary>Splits the request body into its two payloads.</summary>
    /// <exception cref="InvalidWorkflowRequestException">The body is not an object, or has other or repeated members.</exception>
    public static SignalWithStartBody Read(JsonElement? body)
    {
        if (body is not { } element)
        {
            return new SignalWithStartBody(null, null);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"it is a JSON {element.ValueKind.ToString().ToLowerInvariant()}");
        }

        JsonElement? input = null, signal = null;
        foreach (var member in element.EnumerateObject())
        {
            // Exact names: a misspelt member would otherwise be dropped and the workflow start without its input.
            switch (member.Name)
            {
                case InputMember when input is null:
                    input = member.Value;
                    break;
                case SignalMember when signal is null:
                    signal = member.Value;
                    break;
                case InputMember or SignalMember:
                    throw Invalid($"it has the member \"{member.Name}\" twice");
                default:
                    throw Invalid($"it has the member \"{member.Name}\"");
            }
        }

        return new SignalWithStartBody(input, signal);
    }

    private static InvalidWorkflowRequestException Invalid(string what) => new(
        $"The body of a signal-with-start must be a JSON object with the members \"{InputMember}\" (the workflow's input) and " +
        $"\"{SignalMember}\" (the signal's argument), both optional, e.g. {{\"{InputMember}\":{{\"amount\":1000}},\"{SignalMember}\":{{\"approved\":true}}}}; {what}.");
}
