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
        while (true)
        {
            await Workflow.DelayAsync(TimeSpan.Zero);
        }
    }
}
