using System.Text.Json;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Execution;

/// <summary>A local activity the worker runs inside the workflow task: what to run, from which attempt, and since when.</summary>
internal sealed record LocalActivityRequest(
    string WorkflowId, string RunId, string TaskQueue, string ActivityName, JsonElement Input, LocalActivityOptions Options, int Attempt, DateTimeOffset FirstCalledAt);

/// <summary>How the attempts the task ran ended: a result, a failure, or a failure retried after a durable timer (<paramref name="Backoff"/>).</summary>
internal sealed record LocalActivityOutcome(int Attempt, JsonElement? Result, FailureInfo? Failure, TimeSpan? Backoff);

/// <summary>
/// A local activity: recorded as <see cref="LocalActivityMarkerRecorded"/> once the worker has run it (<see cref="Outcome"/>), or
/// matched to the recorded marker on replay, whose outcome then completes the call without running it.
/// </summary>
internal sealed record LocalActivityCommand(LocalActivityRequest Request, TaskCompletionSource<JsonElement?> Awaiter) : Command
{
    /// <summary>Set by the worker once it has run the activity; until then the command blocks the commands behind it.</summary>
    public LocalActivityOutcome? Outcome { get; set; }

    public override bool Matches(HistoryEvent recorded) => recorded is LocalActivityMarkerRecorded m && m.ActivityName == Request.ActivityName;

    public override HistoryEvent ToEvent(long eventId, DateTimeOffset now)
    {
        var outcome = Outcome ?? throw new InvalidOperationException($"Local activity '{Request.ActivityName}' is recorded before it ran.");
        return new LocalActivityMarkerRecorded
        {
            EventId = eventId, Timestamp = now, ActivityName = Request.ActivityName, Attempt = outcome.Attempt,
            Result = outcome.Result, Failure = outcome.Failure, Backoff = outcome.Backoff,
        };
    }

    public override void Bind(HistoryEvent recorded)
    {
        var marker = (LocalActivityMarkerRecorded)recorded;
        if (marker.Failure is null)
        {
            Awaiter.SetResult(marker.Result);
        }
        else if (marker.Backoff is { } backoff)
        {
            Awaiter.SetException(new LocalActivityBackoffException(backoff, marker.Attempt + 1));
        }
        else
        {
            Awaiter.SetException(new ActivityFailureException(Request.ActivityName, marker.Attempt, marker.Failure));
        }
    }

    public override string Describe() => $"ExecuteLocalActivity '{Request.ActivityName}'";
}
