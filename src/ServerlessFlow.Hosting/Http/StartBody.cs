using System.Text.Json;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// The body of a start: the workflow's input as it is, or — with <c>?envelope=true</c> — an object
/// <c>{"input": …, "memo": {…}, "searchAttributes": {…}}</c> that also carries the run's memo and search attributes,
/// shaped like the body of a signal-with-start.
/// </summary>
/// <param name="Input">The workflow's input; null for none.</param>
/// <param name="Memo">The run's memo; null when absent.</param>
/// <param name="SearchAttributes">The run's search attributes; null when absent.</param>
internal sealed record StartBody(JsonElement? Input, IReadOnlyDictionary<string, object?>? Memo, IReadOnlyDictionary<string, object?>? SearchAttributes)
{
    /// <summary>The query parameter that makes the body an envelope.</summary>
    public const string EnvelopeParameter = "envelope";

    private const string InputMember = "input";

    private const string Usage =
        $"With {EnvelopeParameter}=true the body of a start must be a JSON object with the members \"{InputMember}\" (the workflow's input), " +
        $"\"{RequestEnvelope.MemoMember}\" and \"{RequestEnvelope.SearchAttributesMember}\" (objects), all optional, " +
        "e.g. {\"input\":{\"count\":5},\"memo\":{\"note\":\"retry of #41\"},\"searchAttributes\":{\"CustomerId\":\"ann\"}}";

    private static readonly string[] Members = [InputMember, RequestEnvelope.MemoMember, RequestEnvelope.SearchAttributesMember];

    /// <summary>The parts of <paramref name="body"/>: the whole of it as the input, or its members when <paramref name="envelope"/> is set.</summary>
    /// <exception cref="InvalidWorkflowRequestException">An envelope is not an object, has other or repeated members, or a memo or search attributes that are not objects.</exception>
    public static StartBody Read(JsonElement? body, bool envelope)
    {
        if (!envelope)
        {
            return new StartBody(body, null, null);
        }

        var parts = RequestEnvelope.Read(body, Members, Usage);
        return new StartBody(parts.Member(InputMember), parts.Map(RequestEnvelope.MemoMember), parts.Map(RequestEnvelope.SearchAttributesMember));
    }
}
