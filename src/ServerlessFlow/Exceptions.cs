using System.Text.Json;

namespace ServerlessFlow;

/// <summary>Base type of every exception ServerlessFlow raises.</summary>
public class ServerlessFlowException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ServerlessFlowException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// An application error: thrown by activity or workflow code to fail with a chosen type, details and
/// retry behaviour, and what a workflow catches (as the inner exception of an
/// <see cref="ActivityFailureException"/>) when an activity failed with any exception.
/// </summary>
public sealed class ApplicationFailureException : ServerlessFlowException
{
    /// <summary>Creates an application failure.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="errorType">A type name that retry policies can match; "ApplicationFailure" when null.</param>
    /// <param name="nonRetryable">True to stop retries regardless of the retry policy.</param>
    /// <param name="details">Optional details, carried as JSON.</param>
    /// <param name="inner">The cause.</param>
    public ApplicationFailureException(string message, string? errorType = null, bool nonRetryable = false, JsonElement? details = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorType = errorType ?? "ApplicationFailure";
        NonRetryable = nonRetryable;
        Details = details;
    }

    /// <summary>The error type name: the original exception's full type name when it came from another exception.</summary>
    public string ErrorType { get; }

    /// <summary>True when retry policies must not retry this failure.</summary>
    public bool NonRetryable { get; }

    /// <summary>Application details as JSON.</summary>
    public JsonElement? Details { get; }

    /// <summary>Asks the retry policy to wait exactly this long before the next attempt.</summary>
    public TimeSpan? NextRetryDelay { get; init; }

    /// <summary>The stack trace of the original exception, wherever it was raised.</summary>
    public string? OriginalStackTrace { get; init; }
}

/// <summary>Base of exceptions that carry a recorded <see cref="FailureInfo"/>.</summary>
public abstract class ServerlessFlowFailureException : ServerlessFlowException
{
    private protected ServerlessFlowFailureException(string message, FailureInfo failure)
        : base(message, failure.ToException()) => Failure = failure;

    /// <summary>The recorded failure.</summary>
    public FailureInfo Failure { get; }
}

/// <summary>Raised in a workflow when an activity failed for good; the inner exception is the activity's failure.</summary>
public sealed class ActivityFailureException : ServerlessFlowFailureException
{
    internal ActivityFailureException(string activityName, int attempts, FailureInfo failure)
        : base($"Activity '{activityName}' failed after {attempts} attempt(s): {failure.Message}", failure)
    {
        ActivityName = activityName;
        Attempts = attempts;
    }

    /// <summary>The activity's name.</summary>
    public string ActivityName { get; }

    /// <summary>How many attempts ran.</summary>
    public int Attempts { get; }
}

/// <summary>Raised by the client when the awaited workflow failed; <see cref="ServerlessFlowFailureException.Failure"/> says why.</summary>
public sealed class WorkflowFailedException : ServerlessFlowFailureException
{
    internal WorkflowFailedException(string workflowId, WorkflowStatus status, FailureInfo failure)
        : base($"Workflow '{workflowId}' ended as {status}: {failure.Message}", failure)
    {
        WorkflowId = workflowId;
        Status = status;
    }

    /// <summary>The workflow's ID.</summary>
    public string WorkflowId { get; }

    /// <summary>How the workflow ended.</summary>
    public WorkflowStatus Status { get; }
}

/// <summary>A purge asked for a workflow whose current run is open: terminate or cancel it first.</summary>
public sealed class WorkflowOpenException : ServerlessFlowException
{
    /// <summary>Creates the exception.</summary>
    public WorkflowOpenException(string workflowId, string runId)
        : base($"Workflow '{workflowId}' is open (run {runId}); only closed workflows can be purged. Terminate or cancel it first.")
    {
        WorkflowId = workflowId;
        RunId = runId;
    }

    /// <summary>The workflow ID.</summary>
    public string WorkflowId { get; }

    /// <summary>The open run.</summary>
    public string RunId { get; }
}

/// <summary>No workflow with the given ID exists.</summary>
public sealed class WorkflowNotFoundException : ServerlessFlowException
{
    internal WorkflowNotFoundException(string workflowId)
        : base($"No workflow with ID '{workflowId}' exists. Check the ID, or start the workflow first.") => WorkflowId = workflowId;

    /// <summary>The ID that was looked up.</summary>
    public string WorkflowId { get; }
}

/// <summary>A workflow with the given ID is still running, so another cannot start with that ID.</summary>
public sealed class WorkflowAlreadyStartedException : ServerlessFlowException
{
    internal WorkflowAlreadyStartedException(string workflowId, string runId)
        : base($"Workflow '{workflowId}' is already running (run {runId}). Wait for it to close, terminate it, or choose another ID.")
    {
        WorkflowId = workflowId;
        RunId = runId;
    }

    /// <summary>The workflow's ID.</summary>
    public string WorkflowId { get; }

    /// <summary>The run that is open.</summary>
    public string RunId { get; }
}

/// <summary>The workflow type is not registered with this worker.</summary>
public sealed class UnknownWorkflowTypeException : ServerlessFlowException
{
    internal UnknownWorkflowTypeException(string workflowType, IEnumerable<string> known)
        : base($"No workflow type '{workflowType}' is registered. Registered types: {string.Join(", ", known.Order(StringComparer.Ordinal))}. " +
               "Register it with services.AddServerlessFlow(b => b.AddWorkflow<T>()).") => WorkflowType = workflowType;

    /// <summary>The type name that was asked for.</summary>
    public string WorkflowType { get; }
}

/// <summary>Input given to the client is invalid (a bad ID, malformed JSON, a payload over the limit …).</summary>
public sealed class InvalidWorkflowRequestException : ServerlessFlowException
{
    /// <summary>Creates the exception with a message that names the rule and the fix.</summary>
    public InvalidWorkflowRequestException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// The workflow code did something different from what its history recorded. The workflow task fails
/// and is retried; history is left untouched, so deploying corrected code lets the workflow continue.
/// </summary>
public sealed class NonDeterminismException : ServerlessFlowException
{
    internal NonDeterminismException(string message) : base(message) { }
}

/// <summary>Workflow or activity definitions are invalid; the message lists every problem found.</summary>
public sealed class WorkflowDefinitionException : ServerlessFlowException
{
    internal WorkflowDefinitionException(IReadOnlyList<string> problems)
        : base("Invalid ServerlessFlow registrations:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => " - " + p)))
        => Problems = problems;

    /// <summary>Every problem found, one per entry.</summary>
    public IReadOnlyList<string> Problems { get; }
}

/// <summary>
/// Raised at a workflow's pending awaits (activities, timers, wait conditions) when cancellation was
/// requested. Catch it to run cleanup (activities still work afterwards); let it escape to end the
/// workflow as Canceled.
/// </summary>
public sealed class WorkflowCanceledException : OperationCanceledException
{
    internal WorkflowCanceledException(string? reason)
        : base("The workflow was asked to cancel" + (reason is null ? "." : ": " + reason)) => Reason = reason;

    /// <summary>The reason given with the request.</summary>
    public string? Reason { get; }
}

/// <summary>Created by <see cref="Workflow.CreateContinueAsNewException"/>; thrown from the run method to end this run and start a new one; do not catch it.</summary>
public sealed class ContinueAsNewException : Exception
{
    internal ContinueAsNewException(object? input)
        : base("The workflow continues as a new run.") => Input = input;

    /// <summary>The new run's input.</summary>
    public object? Input { get; }
}

/// <summary>An update was rejected by its validator, or its handler failed; <see cref="ServerlessFlowFailureException.Failure"/> says why.</summary>
public sealed class WorkflowUpdateFailedException : ServerlessFlowFailureException
{
    internal WorkflowUpdateFailedException(string workflowId, string updateName, bool rejected, FailureInfo failure)
        : base($"Update '{updateName}' of workflow '{workflowId}' was {(rejected ? "rejected" : "applied and failed")}: {failure.Message}", failure)
    {
        WorkflowId = workflowId;
        UpdateName = updateName;
        Rejected = rejected;
    }

    /// <summary>The workflow ID.</summary>
    public string WorkflowId { get; }

    /// <summary>The update's name.</summary>
    public string UpdateName { get; }

    /// <summary>True when the validator rejected it (nothing was recorded); false when the handler ran and failed.</summary>
    public bool Rejected { get; }
}

/// <summary>Raised in a parent workflow when a child workflow did not complete; the inner exception is the child's failure.</summary>
public sealed class ChildWorkflowFailureException : ServerlessFlowFailureException
{
    internal ChildWorkflowFailureException(string childWorkflowId, WorkflowStatus status, FailureInfo failure)
        : base($"Child workflow '{childWorkflowId}' ended as {status}: {failure.Message}", failure)
    {
        ChildWorkflowId = childWorkflowId;
        Status = status;
    }

    /// <summary>The child's workflow ID.</summary>
    public string ChildWorkflowId { get; }

    /// <summary>How the child ended.</summary>
    public WorkflowStatus Status { get; }
}

/// <summary>
/// Raised in workflow code when a signal or cancellation request to another workflow (an external or child handle) could not be
/// delivered: no such workflow or run, it is not running, or it has no such signal.
/// </summary>
public sealed class ExternalWorkflowFailureException : ServerlessFlowFailureException
{
    internal ExternalWorkflowFailureException(string workflowId, FailureInfo failure)
        : base($"The request to workflow '{workflowId}' was not delivered: {failure.Message}", failure)
    {
        WorkflowId = workflowId;
    }

    /// <summary>The target's workflow ID.</summary>
    public string WorkflowId { get; }
}
