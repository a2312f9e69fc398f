using System.Text.Json;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// The body of a signal-with-start: <c>{"input": …, "signal": …, "memo": {…}, "searchAttributes": {…}}</c>, the workflow's
/// input, memo and search attributes (used only if a run starts) and the signal's argument. All are optional; an empty body means none.
/// </summary>
/// <param name="Input">The workflow's input; null when absent.</param>
/// <param name="Signal">The signal's argument; null when absent.</param>
/// <param name="Memo">The memo of a started run; null when absent.</param>
/// <param name="SearchAttributes">The search attributes of a started run; null when absent.</param>
internal sealed record SignalWithStartBody(
    JsonElement? Input, JsonElement? Signal, IReadOnlyDictionary<string, object?>? Memo, IReadOnlyDictionary<string, object?>? SearchAttributes)
{
    private const string InputMember = "input";
    private const string SignalMember = "signal";

    private const string Usage =
        $"The body of a signal-with-start must be a JSON object with the members \"{InputMember}\" (the workflow's input), " +
        $"\"{SignalMember}\" (the signal's argument), \"{RequestEnvelope.MemoMember}\" and \"{RequestEnvelope.SearchAttributesMember}\" " +
        "(objects, used only if a run starts), all optional, e.g. {\"input\":{\"amount\":1000},\"signal\":{\"approved\":true}}";

    private static readonly string[] Members = [InputMember, SignalMember, RequestEnvelope.MemoMember, RequestEnvelope.SearchAttributesMember];

    /// <summary>Splits the request body into its parts.</summary>
    /// <exception cref="InvalidWorkflowRequestException">The body is not an object, or has other or repeated members, or a memo or search attributes that are not objects.</exception>
    public static SignalWithStartBody Read(JsonElement? body)
    {
        var envelope = RequestEnvelope.Read(body, Members, Usage);
        return new SignalWithStartBody(
            envelope.Member(InputMember), envelope.Member(SignalMember),
            envelope.Map(RequestEnvelope.MemoMember), envelope.Map(RequestEnvelope.SearchAttributesMember));
    }
}
