using System.Diagnostics.CodeAnalysis;
using ServerlessFlow.Engine.Execution;
using ServerlessFlow.Engine.Registry;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Replay;

/// <summary>
/// Replays recorded histories against the current workflow code, the way a worker does after a deploy, and reports
/// where the code no longer matches: commit histories exported from <c>GET /api/workflows/{id}/history</c> and replay
/// them in CI, so a change that would break running workflows fails the build instead of production.
/// </summary>
/// <remarks>It runs the engine's own replay (no storage, no activities run): a history that replays here replays on a worker.</remarks>
public sealed class WorkflowReplayer
{
    private readonly WorkflowRegistry registry;

    /// <summary>Creates a replayer for the given workflow classes.</summary>
    /// <exception cref="WorkflowDefinitionException">A workflow class is invalid; every problem is listed.</exception>
    [RequiresUnreferencedCode(ReflectionDefinitions.Reason)]
    public WorkflowReplayer(WorkflowReplayerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        registry = WorkflowRegistry.Build(options.Workflows, [], options.SearchAttributes);
    }

    /// <summary>Replays one history.</summary>
    /// <param name="history">The history, e.g. from <see cref="WorkflowHistory.FromJson"/> or <see cref="IWorkflowClient.GetHistoryAsync"/>.</param>
    /// <param name="throwOnReplayFailure">True to throw the failure (e.g. the <see cref="NonDeterminismException"/>); false to return it in the result.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<WorkflowReplayResult> ReplayAsync(WorkflowHistory history, bool throwOnReplayFailure = true, CancellationToken cancellationToken = default) =>
        Task.FromResult(Replay(history, source: null, throwOnReplayFailure, cancellationToken));

    /// <summary>
    /// Replays every history file (<paramref name="searchPattern"/>, default <c>*.json</c>) in <paramref name="directory"/>,
    /// in name order, and returns every result; never throws for a failed replay, so one run reports them all.
    /// </summary>
    public async Task<IReadOnlyList<WorkflowReplayResult>> ReplayDirectoryAsync(string directory, string searchPattern = "*.json", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var results = new List<WorkflowReplayResult>();
        foreach (var path in Directory.GetFiles(directory, searchPattern).Order(StringComparer.Ordinal))
        {
            WorkflowHistory history;
            try
            {
                history = await WorkflowHistory.LoadAsync(path, cancellationToken);
            }
            catch (System.Text.Json.JsonException e)
            {
                results.Add(new WorkflowReplayResult(new WorkflowHistory(WorkflowHistory.UnnamedId, []), path, new InvalidDataException($"{path} is not a workflow history: {e.Message}", e)));
                continue;
            }

            results.Add(Replay(history, path, throwOnReplayFailure: false, cancellationToken));
        }

        return results;
    }

    private WorkflowReplayResult Replay(WorkflowHistory history, string? source, bool throwOnReplayFailure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(history);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            if (history.Events is not [WorkflowStarted started, ..])
            {
                throw new InvalidDataException($"The history of workflow '{history.Id}' does not begin with a WorkflowStarted event.");
            }

            var execution = new WorkflowExecution(registry.GetWorkflow(started.WorkflowType), registry.SearchAttributes, history.Id, WorkflowHistory.UnnamedId, started.TaskQueue);
            execution.Replay(history.Events);
            return new WorkflowReplayResult(history, source, null);
        }
        catch (Exception e) when (!throwOnReplayFailure && e is ServerlessFlowException or InvalidDataException or InvalidOperationException)
        {
            return new WorkflowReplayResult(history, source, e);
        }
    }
}
