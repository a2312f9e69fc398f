namespace ServerlessFlow.Engine.Client;

/// <summary>The rules for workflow IDs: printable text (<see cref="IdentifierText"/>); backends escape it reversibly for their keys.</summary>
internal static class WorkflowIds
{
    /// <summary>Longest ID: table keys hold at most 1 KiB, and escaping may triple a character.</summary>
    public const int MaxLength = 256;

    /// <summary>Longest signal, query or update name, or workflow type name: they are compared with names in code, never keyed on their own.</summary>
    public const int MaxNameLength = 256;

    /// <summary>Longest request or update ID: the same limit as workflow IDs, since both end up in table keys.</summary>
    public const int MaxRequestIdLength = 256;

    /// <exception cref="InvalidWorkflowRequestException">It is empty, too long, or not printable text.</exception>
    public static string Validate(string? id) => IdentifierText.Validate(id, "workflow ID", MaxLength);

    /// <summary>Validates a workflow type, signal, query or update name.</summary>
    /// <exception cref="InvalidWorkflowRequestException">It is empty, too long, or not printable text.</exception>
    public static string ValidateName(string? name, string what) => IdentifierText.Validate(name, what, MaxNameLength);

    /// <summary>Validates a request (idempotency) or update ID; null stays null.</summary>
    /// <exception cref="InvalidWorkflowRequestException">It is empty, too long, or not printable text.</exception>
    public static string? ValidateRequestId(string? requestId, string what) =>
        requestId is null ? null : IdentifierText.Validate(requestId, what, MaxRequestIdLength);
}
