using System.Text.Json;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Activities;

/// <summary>How one activity attempt ended, before anything is written: whoever ran it decides where the outcome goes.</summary>
internal abstract record AttemptResult
{
    private AttemptResult() { }

    /// <summary>The activity returned <paramref name="Result"/>; <paramref name="Row"/> is the row as last written, with the latest heartbeat details.</summary>
    public sealed record Completed(JsonElement? Result, ActivityTaskRecord Row) : AttemptResult;

    /// <summary>The attempt failed (an exception or a timeout); <paramref name="RequestedDelay"/> is the activity's own retry delay, if it asked for one.</summary>
    public sealed record Failed(FailureInfo Failure, TimeSpan? RequestedDelay, ActivityTaskRecord Row) : AttemptResult;

    /// <summary>The workflow no longer wants the activity (its row is gone): nothing is written.</summary>
    public sealed record Cancelled : AttemptResult
    {
        public static readonly Cancelled Instance = new();
    }
}
