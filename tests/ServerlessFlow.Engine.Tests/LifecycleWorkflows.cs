namespace ServerlessFlow.Engine.Tests;

/// <summary>Waits a long time; on cancellation runs a cleanup activity, then either ends canceled or returns.</summary>
[Workflow]
public sealed class CancellableWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(bool handle)
    {
        try
        {
            await Workflow.DelayAsync(TimeSpan.FromHours(1));
            return "finished";
        }
        catch (WorkflowCanceledException)
        {
            var cleaned = await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.Echo("cleaned up"), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(5) });
            if (handle)
            {
                return cleaned;
            }

            throw;
        }
    }
}

/// <summary>Counts up across runs with continue-as-new.</summary>
[Workflow]
public sealed class Counter
{
    [WorkflowRun]
    public async Task<int> RunAsync(int[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var (current, target) = (state[0], state[1]);
        await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.Echo(current.ToString(System.Globalization.CultureInfo.InvariantCulture)), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(5) });
        return current + 1 >= target ? current + 1 : throw Workflow.CreateContinueAsNewException(new[] { current + 1, target });
    }
}

/// <summary>Starts a long timer, then cancels it from workflow code.</summary>
[Workflow]
public sealed class CancelsTimer
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        using var cancel = new CancellationTokenSource();
        var timer = Workflow.DelayAsync(TimeSpan.FromHours(1), cancel.Token);
        await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.Echo("x"), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(5) });
#pragma warning disable CA1849 // CancelAsync runs callbacks on the thread pool; workflow code must cancel synchronously.
        cancel.Cancel();
#pragma warning restore CA1849
        try
        {
            await timer;
            return "fired";
        }
        catch (OperationCanceledException)
        {
            return "canceled";
        }
    }
}

/// <summary>Never ends on its own: two events per loop.</summary>
[Workflow]
public sealed class Chatty
{
    [WorkflowRun]
    public async Task RunAsync()
    {
#pragma warning disable SFLOW0011 // deliberately endless: it exists to grow history
        while (true)
#pragma warning restore SFLOW0011
        {
            await Workflow.DelayAsync(TimeSpan.Zero);
        }
    }
}

/// <summary>Races a wait-condition against a timer with Task.WhenAny, the everyday timeout pattern.</summary>
[Workflow]
public sealed class RacesConditionAndTimer
{
    private bool approved;

    [WorkflowSignal]
    public void Approve() => approved = true;

    [WorkflowRun]
    public async Task<string> RunAsync(int timeoutMs)
    {
        var condition = Workflow.WaitConditionAsync(() => approved);
        var winner = await Task.WhenAny(condition, Workflow.DelayAsync(TimeSpan.FromMilliseconds(timeoutMs)));
        return winner == condition ? "approved" : "timed out";
    }
}

/// <summary>Two signals in two tasks, each producing no command: replay must hand them over one task at a time.</summary>
[Workflow]
public sealed class CountsSignals
{
    private int count;

    [WorkflowSignal]
    public void Increment() => count++;

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        await Workflow.WaitConditionAsync(() => count >= 1);
        var seenFirst = count;
        await Workflow.WaitConditionAsync(() => count >= 2);
        return seenFirst == 1
            ? await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.Echo("one at a time"), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(5) })
            : await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.Explode("merged"), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(5), RetryPolicy = RetryPolicy.NoRetry });
    }
}
