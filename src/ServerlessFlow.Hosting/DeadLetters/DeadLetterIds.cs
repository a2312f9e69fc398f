using ServerlessFlow.Engine.Client;

namespace ServerlessFlow.Hosting.DeadLetters;

/// <summary>
/// The API's ID of a dead letter: <c>{queue}.{messageId}</c>, e.g. <c>wf-default.8f0c…</c>. Backends key dead letters
/// by queue and message ID; one readable path segment carries both because logical queue names never contain '.'
/// (<see cref="Engine.Backend.QueueNames"/>: letters, digits and hyphens), so the first '.' always separates them.
/// </summary>
internal static class DeadLetterIds
{
    /// <summary>Longest dead-letter ID: a queue name (at most 48 characters with its prefix) and a message ID (a GUID on Azure).</summary>
    private const int MaxLength = 256;

    /// <summary>Separates the queue from the message ID.</summary>
    private const char Separator = '.';

    /// <summary>The ID of the dead letter of <paramref name="messageId"/> from <paramref name="queue"/>.</summary>
    public static string Format(string queue, string messageId) => queue + Separator + messageId;

    /// <summary>The queue and message ID of <paramref name="id"/>.</summary>
    /// <exception cref="InvalidWorkflowRequestException">It is not of the form <c>{queue}.{messageId}</c>.</exception>
    public static (string Queue, string MessageId) Parse(string id)
    {
        IdentifierText.Validate(id, "dead-letter ID", MaxLength);
        var separator = id.IndexOf(Separator, StringComparison.Ordinal);
        return separator > 0 && separator < id.Length - 1
            ? (id[..separator], id[(separator + 1)..])
            : throw new InvalidWorkflowRequestException(
                $"'{id}' is not a dead-letter ID: those have the form {{queue}}.{{messageId}} (e.g. wf-default.6c1e…). Take the id from GET /api/deadletters.");
    }
}
