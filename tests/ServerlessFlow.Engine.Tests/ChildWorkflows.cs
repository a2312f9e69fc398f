namespace ServerlessFlow.Engine.Tests;

[Workflow]
public sealed class Doubler
{
    [WorkflowRun]
    public Task<int> RunAsync(int value) => Task.FromResult(value * 2);
}

[Workflow(FailureExceptionTypes = [typeof(InvalidOperationException)])]
public sealed class BrokenChild
{
    [WorkflowRun]
    public Task RunAsync() => throw new InvalidOperationException("child broke");
}

[Workflow]
public sealed class Sleeper
{
    [WorkflowRun]
    public Task RunAsync() => Workflow.DelayAsync(TimeSpan.FromHours(1));
}

[Workflow]
public sealed class FanOut
{
    [WorkflowRun]
    public async Task<long> RunAsync(int children)
    {
        var results = await Task.WhenAll(Enumerable.Range(1, children).Select(i => Workflow.ExecuteChildWorkflowAsync((Doubler d) => d.RunAsync(i))));
        return results.Sum(r => (long)r);
    }
}

[Workflow]
public sealed class ParentOfBroken
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        try
        {
            await Workflow.ExecuteChildWorkflowAsync((BrokenChild c) => c.RunAsync());
            return "no failure";
        }
        catch (ChildWorkflowFailureException e)
        {
            return $"{e.ChildWorkflowId}|{e.Status}|{((ApplicationFailureException)e.InnerException!).ErrorType}|{e.InnerException!.Message}";
        }
    }
}

/// <summary>Starts a long child, waits for the "finish" signal, and closes while the child is still open.</summary>
[Workflow]
public sealed class ParentLeavesChild
{
    private bool finish;

    [WorkflowSignal]
    public void Finish() => finish = true;

    [WorkflowRun]
    public async Task RunAsync(ParentClosePolicy policy)
    {
        _ = Workflow.ExecuteChildWorkflowAsync((Sleeper s) => s.RunAsync(), new ChildWorkflowOptions { Id = $"{Workflow.Info.WorkflowId}-sleeper", ParentClosePolicy = policy });
        await Workflow.WaitConditionAsync(() => finish);
    }
}

/// <summary>
/// Run 1 starts a long child it abandons and waits for "Next", then continues as new; run 2 starts a child at the same event ID
/// with the default ID and returns its result. With IDs that ignored the run, run 2's child found run 1's still open.
/// </summary>
[Workflow]
public sealed class ChildInEveryRun
{
    private bool next;

    [WorkflowSignal]
    public void Next() => next = true;

    [WorkflowRun]
    public async Task<int> RunAsync(int run)
    {
        if (run == 1)
        {
            _ = Workflow.ExecuteChildWorkflowAsync((Sleeper s) => s.RunAsync(), new ChildWorkflowOptions { ParentClosePolicy = ParentClosePolicy.Abandon });
            await Workflow.WaitConditionAsync(() => next);
            throw Workflow.CreateContinueAsNewException((ChildInEveryRun p) => p.RunAsync(2));
        }

        return await Workflow.ExecuteChildWorkflowAsync((Doubler d) => d.RunAsync(21));
    }
}

/// <summary>Runs a <see cref="Doubler"/> child under the ID "{parent}-kid" and returns its result.</summary>
[Workflow]
public sealed class ParentOfNamedChild
{
    [WorkflowRun]
    public Task<int> RunAsync(int value) =>
        Workflow.ExecuteChildWorkflowAsync((Doubler d) => d.RunAsync(value), new ChildWorkflowOptions { Id = $"{Workflow.Info.WorkflowId}-kid" });
}

/// <summary>Starts a <see cref="ContinuingSleeper"/> child "{parent}-kid" with the given close policy, waits for "Finish", and closes while it is open.</summary>
[Workflow]
public sealed class ParentOfContinuingChild
{
    private bool finish;

    [WorkflowSignal]
    public void Finish() => finish = true;

    [WorkflowRun]
    public async Task RunAsync(ParentClosePolicy policy)
    {
        _ = Workflow.ExecuteChildWorkflowAsync((ContinuingSleeper s) => s.RunAsync(1), new ChildWorkflowOptions { Id = $"{Workflow.Info.WorkflowId}-kid", ParentClosePolicy = policy });
        await Workflow.WaitConditionAsync(() => finish);
    }
}

/// <summary>Waits for "Next", then continues as new with the next run number; never completes on its own.</summary>
[Workflow]
public sealed class ContinuingSleeper
{
    private bool next;

    [WorkflowSignal]
    public void Next() => next = true;

    [WorkflowRun]
    public async Task RunAsync(int run)
    {
        await Workflow.WaitConditionAsync(() => next);
        throw Workflow.CreateContinueAsNewException((ContinuingSleeper s) => s.RunAsync(run + 1));
    }
}
