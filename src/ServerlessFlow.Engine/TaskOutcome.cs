namespace ServerlessFlow.Engine;

/// <summary>What the host must do with a queue message after a handler ran.</summary>
public abstract record TaskOutcome
{
    private TaskOutcome() { }

    /// <summary>The message is done with: delete it.</summary>
    public static TaskOutcome Completed { get; } = new CompletedOutcome();

    /// <summary>Deliver the message again after <paramref name="delay"/>.</summary>
    public static TaskOutcome RetryAfter(TimeSpan delay) => new RetryOutcome(delay);

    /// <summary>Deliver <paramref name="replacement"/> instead of the message after <paramref name="delay"/> (the host sends it and deletes the original).</summary>
    public static TaskOutcome RetryAs(Backend.TaskMessage replacement, TimeSpan delay) => new RetryOutcome(delay) { Replacement = replacement };

    /// <summary>The message can never be handled: move it to the dead-letter store with <paramref name="reason"/>.</summary>
    public static TaskOutcome DeadLetter(string reason) => new DeadLetterOutcome(reason);

    /// <summary>Delete the message.</summary>
    public sealed record CompletedOutcome : TaskOutcome;

    /// <summary>Release the message to be delivered again after <paramref name="Delay"/>.</summary>
    /// <param name="Delay">How long to keep it invisible.</param>
    public sealed record RetryOutcome(TimeSpan Delay) : TaskOutcome
    {
        /// <summary>The message to deliver instead of the original (it carries state such as a failure count); null to deliver the original.</summary>
        public Backend.TaskMessage? Replacement { get; init; }
    }

    /// <summary>Dead-letter the message.</summary>
    /// <param name="Reason">Why it cannot be handled.</param>
    public sealed record DeadLetterOutcome(string Reason) : TaskOutcome;
}
