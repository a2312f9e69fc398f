namespace ServerlessFlow.Engine.Client;

/// <summary>The rules for workflow IDs. Any printable text is allowed; backends escape it reversibly for their keys.</summary>
internal static class WorkflowIds
{
    /// <summary>Longest ID: table keys hold at most 1 KiB, and escaping may triple a character.</summary>
    public const int MaxLength = 256;

    public static string Validate(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new InvalidWorkflowRequestException("The workflow ID is empty. Give a non-empty ID, or none to get a generated one.");
        }

        if (id.Length > MaxLength)
        {
            throw new InvalidWorkflowRequestException($"The workflow ID is {id.Length} characters long; the limit is {MaxLength}.");
        }

        var control = id.AsSpan().IndexOfAnyInRange('\0', '\u001f') is var c0 and >= 0 ? c0 : id.AsSpan().IndexOfAnyInRange('\u007f', '\u009f');
        return control < 0
            ? id
            : throw new InvalidWorkflowRequestException($"The workflow ID contains the control character U+{(int)id[control]:X4}; IDs must be printable text.");
    }
}
