using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Replay;

/// <summary>The outcome of replaying one history.</summary>
/// <param name="History">The history that was replayed.</param>
/// <param name="Source">Where it came from (a file path), or null.</param>
/// <param name="ReplayFailure">
/// Why the replay failed: a <see cref="NonDeterminismException"/> with the message a worker would give when the
/// code no longer matches history, or another exception (an unknown workflow type, a corrupt history); null when it replayed clean.
/// </param>
public sealed record WorkflowReplayResult(WorkflowHistory History, string? Source, Exception? ReplayFailure)
{
    /// <summary>True when the code replayed the whole history without a mismatch.</summary>
    public bool Succeeded => ReplayFailure is null;
}
