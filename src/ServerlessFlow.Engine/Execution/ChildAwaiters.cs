using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ServerlessFlow.Engine.Execution;

/// <summary>
/// What the parent's code awaits of one child: its start (the handle) and its result. A child's outcome that arrives before its
/// start report — histories recorded before <see cref="History.ChildWorkflowStarted"/> existed, or a report overtaken after a
/// crash — starts it first, so the code sees the same start-then-result order either way.
/// </summary>
internal sealed class ChildAwaiters
{
    /// <summary>The failure type of a child that could not start because its ID is in use by an open run.</summary>
    public const string StartFailureType = "WorkflowAlreadyStarted";

    private readonly TaskCompletionSource<StartedChild> started = new();
    private readonly TaskCompletionSource<JsonElement?> result = new();

    /// <summary>The child's ID, known once the command has its event (history's ID wins over a recomputed one).</summary>
    public string ChildId { get; set; } = "";

    public Task<StartedChild> Started => started.Task;

    public bool HasStarted => started.Task.IsCompleted;

    public void MarkStarted(string runId) => started.TrySetResult(new StartedChild(ChildId, runId, result.Task));

    public void Complete(JsonElement? value, string firstRunId)
    {
        MarkStarted(firstRunId);
        result.SetResult(value);
    }

    /// <summary>Fails the start when the child never started (nobody holds a handle to await its result), else the result.</summary>
    public bool Fail(Exception error) => HasStarted ? result.TrySetException(error) : started.TrySetException(error);

    /// <summary>
    /// The run ID of a child's first run, derived from the parent's run and scheduling event: every delivery of the start message
    /// starts the same run, and the parent knows it even when the child's outcome overtakes the start report.
    /// </summary>
    public static string FirstRunId(string parentRunId, long scheduledEventId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"child-run/{parentRunId}/{scheduledEventId}"), hash);
        return new Guid(hash[..16]).ToString("N");
    }
}
