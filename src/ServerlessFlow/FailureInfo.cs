using System.Text.Json;

namespace ServerlessFlow;

/// <summary>
/// A failure as it travels through history: the original exception's type name, message and stack,
/// whether it may be retried, optional details, and the failure that caused it.
/// </summary>
public sealed record FailureInfo
{
    /// <summary>The error type: the exception's full type name, or the type given to an <see cref="ApplicationFailureException"/>.</summary>
    public required string Type { get; init; }

    /// <summary>The error message.</summary>
    public required string Message { get; init; }

    /// <summary>The stack trace where the failure was raised, if known.</summary>
    public string? StackTrace { get; init; }

    /// <summary>True when no retry policy may retry this failure.</summary>
    public bool NonRetryable { get; init; }

    /// <summary>Application-specific details, as JSON.</summary>
    public JsonElement? Details { get; init; }

    /// <summary>The failure that caused this one.</summary>
    public FailureInfo? Cause { get; init; }

    /// <summary>Describes <paramref name="exception"/> (and its inner exceptions) as a failure.</summary>
    public static FailureInfo FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            ApplicationFailureException app => new FailureInfo
            {
                Type = app.ErrorType,
                Message = app.Message,
                StackTrace = app.OriginalStackTrace ?? app.StackTrace,
                NonRetryable = app.NonRetryable,
                Details = app.Details,
                Cause = app.InnerException is null ? null : FromException(app.InnerException),
            },
            ServerlessFlowFailureException flow => flow.Failure,
            _ => new FailureInfo
            {
                Type = exception.GetType().FullName ?? exception.GetType().Name,
                Message = exception.Message,
                StackTrace = exception.StackTrace,
                Cause = exception.InnerException is null ? null : FromException(exception.InnerException),
            },
        };
    }

    /// <summary>Recreates the exception a workflow or caller catches for this failure.</summary>
    public ApplicationFailureException ToException() =>
        new(Message, Type, NonRetryable, Details, Cause?.ToException()) { OriginalStackTrace = StackTrace };
}
