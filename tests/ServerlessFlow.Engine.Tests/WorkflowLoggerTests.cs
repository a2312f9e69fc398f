using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Execution;
using ServerlessFlow.Engine.Registry;
using ServerlessFlow.History;

namespace ServerlessFlow.Engine.Tests;

/// <summary>Workflow.Logger writes each message once: live, never while replaying.</summary>
public sealed class WorkflowLoggerTests
{
    private static readonly WorkflowRegistry Registry = WorkflowRegistry.Build([typeof(ChattyWorkflow)], []);

    [Fact]
    public void Logger_LiveThenReplayed_WritesOnlyWhileLiveWithTheWorkflowIdInScope()
    {
        var live = new CapturingLogger();
        var first = Execution(live);
        var start = new WorkflowStarted { EventId = 1, Timestamp = DateTimeOffset.UtcNow, WorkflowType = "ChattyWorkflow", TaskQueue = "default", RandomSeed = 7 };
        first.Replay([start]);
        var history = new List<HistoryEvent> { start };
        history.AddRange(first.RunTask([], start.Timestamp));
        history.AddRange(first.RunTask([new TimerFired { StartedEventId = 2 }], start.Timestamp.AddMinutes(1)));

        var replayed = new CapturingLogger();
        Execution(replayed).Replay(history);

        Assert.IsType<WorkflowCompleted>(history[^1]);
        Assert.Equal(["before the timer", "after the timer"], live.Messages);
        Assert.All(live.WorkflowIds, id => Assert.Equal("chatty-1", id));
        Assert.Empty(replayed.Messages);
    }

    [Fact]
    public void Logger_ProviderHandsMessagesToThePool_DoesNotTripTheSchedulerGuard()
    {
        var pooled = new PoolWritingLogger();
        var execution = Execution(pooled);
        var start = new WorkflowStarted { EventId = 1, Timestamp = DateTimeOffset.UtcNow, WorkflowType = "ChattyWorkflow", TaskQueue = "default", RandomSeed = 7 };
        execution.Replay([start]);

        var commands = execution.RunTask([], start.Timestamp);
        pooled.Written.Wait(TimeSpan.FromSeconds(10));

        Assert.IsType<TimerStarted>(commands[^1]);
        Assert.True(pooled.Written.IsSet);
    }

    private static WorkflowExecution Execution(ILogger logger) =>
        new(Registry.GetWorkflow("ChattyWorkflow"), Registry.SearchAttributes, "chatty-1", "run-1", "default") { LogTo = logger };

    /// <summary>A provider like an asynchronous sink: each message is written by a thread-pool work item.</summary>
    private sealed class PoolWritingLogger : ILogger
    {
        public ManualResetEventSlim Written { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            ThreadPool.QueueUserWorkItem(_ => Written.Set());
    }

    private sealed class CapturingLogger : ILogger
    {
        private object? scope;

        public List<string> Messages { get; } = [];

        public List<object?> WorkflowIds { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            scope = state;
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Messages.Add(formatter(state, exception));
            WorkflowIds.Add((scope as IReadOnlyDictionary<string, object?>)?.GetValueOrDefault("WorkflowId"));
        }
    }
}

[Workflow]
public sealed class ChattyWorkflow
{
    [WorkflowRun]
    public async Task RunAsync()
    {
        Workflow.Logger.LogInformation("before the timer");
        await Workflow.DelayAsync(TimeSpan.FromMinutes(1));
        Workflow.Logger.LogInformation("after the timer");
    }
}
