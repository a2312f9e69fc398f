using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ServerlessFlow.Engine.Execution;

/// <summary><see cref="Workflow.Logger"/>: the worker's logger, silent while the code replays history.</summary>
internal sealed partial class WorkflowExecution
{
    private ILogger? replaySafeLogger;

    /// <summary>Where workflow code's log messages go (none for executions that only answer queries or validate updates).</summary>
    public ILogger LogTo { get; init; } = NullLogger.Instance;

    ILogger IWorkflowContext.Logger => replaySafeLogger ??= new ReplaySafeLogger(LogTo, this);

    /// <summary>Drops messages while replaying, and scopes the rest with the workflow's identity.</summary>
    private sealed class ReplaySafeLogger(ILogger inner, WorkflowExecution execution) : ILogger
    {
        private readonly Dictionary<string, object?> identity = new(StringComparer.Ordinal)
        {
            ["WorkflowId"] = execution.Info.WorkflowId, ["RunId"] = execution.Info.RunId, ["WorkflowType"] = execution.Info.WorkflowType,
        };

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => !execution.IsReplaying && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            using (ForeignTaskListener.Ignore())
            using (inner.BeginScope(identity))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
