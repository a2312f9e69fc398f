using System.Collections.Concurrent;

namespace ServerlessFlow.Engine.Tests;

/// <summary>Activities whose behaviour depends on the attempt, recording what they did per workflow.</summary>
public sealed class ReliableActivities
{
    public static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> Journal = new();

    private static void Note(string entry) => Journal.GetOrAdd(ActivityExecutionContext.Current.Info.WorkflowId, _ => new()).Enqueue(entry);

    /// <summary>Processes ten chunks, heartbeating after each; the first attempt fails after chunk 4.</summary>
    [Activity]
    public string ProcessFile()
    {
        var context = ActivityExecutionContext.Current;
        var start = context.GetHeartbeatDetails<int?>() is { } done ? done + 1 : 0;
        for (var chunk = start; chunk < 10; chunk++)
        {
            Note($"chunk {chunk} attempt {context.Info.Attempt}");
            context.Heartbeat(chunk);
            if (chunk == 4 && context.Info.Attempt == 1)
            {
                throw new IOException("disk hiccup");
            }
        }

        return $"done on attempt {context.Info.Attempt}";
    }

    /// <summary>The first attempt heartbeats once and then hangs (until cancelled); later attempts succeed.</summary>
    [Activity]
    public async Task<string> HangFirstAsync(bool heartbeat)
    {
        var context = ActivityExecutionContext.Current;
        Note($"start attempt {context.Info.Attempt} at {DateTimeOffset.UtcNow:O}");
        if (context.Info.Attempt == 1)
        {
            if (heartbeat)
            {
                context.Heartbeat();
            }

            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }

        return $"ok on attempt {context.Info.Attempt}";
    }

    /// <summary>Heartbeats its beat count until cancelled, and records that it saw the cancellation.</summary>
    [Activity]
    public async Task HeartbeatUntilCancelledAsync()
    {
        var context = ActivityExecutionContext.Current;
        try
        {
            for (var beat = 1; ; beat++)
            {
                context.Heartbeat(new { beat });
                await Task.Delay(20, context.CancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            Note("saw cancellation");
            throw;
        }
    }

    [Activity]
    public string Count(int index)
    {
        Note($"{index} attempt {ActivityExecutionContext.Current.Info.Attempt}");
        return $"step {index}";
    }

    [Activity]
    public string AlwaysFails() => throw new InvalidOperationException("nope");
}

[Workflow]
public sealed class RunsOne
{
    [WorkflowRun]
    public async Task<string> RunAsync(OneActivity request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = new ActivityOptions
        {
            StartToCloseTimeout = request.StartToCloseMs is { } s2c ? TimeSpan.FromMilliseconds(s2c) : TimeSpan.FromSeconds(30),
            HeartbeatTimeout = request.HeartbeatTimeoutMs is { } hb ? TimeSpan.FromMilliseconds(hb) : null,
            ScheduleToStartTimeout = request.ScheduleToStartMs is { } s2s ? TimeSpan.FromMilliseconds(s2s) : null,
            TaskQueue = request.TaskQueue,
            RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(10), MaximumAttempts = request.MaxAttempts, NonRetryableErrorTypes = request.NonRetryable ?? [] },
        };
        try
        {
            return request.Name switch
            {
                "ProcessFile" => await Workflow.ExecuteActivityAsync((ReliableActivities a) => a.ProcessFile(), options),
                "HangFirst" => await Workflow.ExecuteActivityAsync((ReliableActivities a) => a.HangFirstAsync(request.Heartbeat), options),
                "AlwaysFails" => await Workflow.ExecuteActivityAsync((ReliableActivities a) => a.AlwaysFails(), options),
                _ => (await Workflow.ExecuteActivityAsync<string>(request.Name, [], options))!,
            };
        }
        catch (ActivityFailureException e)
        {
            return $"failed: {((ApplicationFailureException)e.InnerException!).ErrorType} after {e.Attempts}";
        }
    }
}

public sealed record OneActivity(string Name, int? StartToCloseMs = null, int? HeartbeatTimeoutMs = null, int? ScheduleToStartMs = null, string? TaskQueue = null, int MaxAttempts = 0, bool Heartbeat = false, IReadOnlyList<string>? NonRetryable = null);

/// <summary>Waits on a heartbeating activity; when cancelled, runs a cleanup activity and returns.</summary>
[Workflow]
public sealed class CancelsHeartbeatingActivity
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        try
        {
            await Workflow.ExecuteActivityAsync((ReliableActivities a) => a.HeartbeatUntilCancelledAsync(), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMinutes(5), HeartbeatTimeout = TimeSpan.FromSeconds(10) });
            return "not cancelled";
        }
        catch (WorkflowCanceledException)
        {
            return await Workflow.ExecuteActivityAsync((ReliableActivities a) => a.Count(99), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(10) });
        }
    }
}

[Workflow]
public sealed class FiveSteps
{
    [WorkflowRun]
    public async Task<int> RunAsync()
    {
        for (var i = 0; i < 5; i++)
        {
            await Workflow.ExecuteActivityAsync((ReliableActivities a) => a.Count(i), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(10) });
        }

        return 5;
    }
}

/// <summary>Cancels one heartbeating activity through its options' token when signalled, then goes on with the next step.</summary>
[Workflow]
#pragma warning disable CA1001 // a CancellationTokenSource without a timer holds nothing to release; the engine drops workflow objects
public sealed class CancelsOneActivity
#pragma warning restore CA1001
{
    private readonly CancellationTokenSource stop = new();

    [WorkflowSignal("stop")]
    public void Stop() => stop.Cancel();

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        var options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMinutes(5), HeartbeatTimeout = TimeSpan.FromSeconds(10), CancellationToken = stop.Token };
        try
        {
            await Workflow.ExecuteActivityAsync((ReliableActivities a) => a.HeartbeatUntilCancelledAsync(), options);
            return "not cancelled";
        }
        catch (OperationCanceledException)
        {
            var next = await Workflow.ExecuteActivityAsync((ReliableActivities a) => a.Count(7), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(10) });
            return $"cancelled, then {next}";
        }
    }
}
