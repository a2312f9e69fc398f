namespace ServerlessFlow.Engine.Tests;

/// <summary>Adds up the values signalled to it until it has <c>expected</c> of them.</summary>
[Workflow]
public sealed class Collector
{
    private int sum;
    private int count;

    [WorkflowSignal]
    public Task AddAsync(int value)
    {
        sum += value;
        count++;
        return Task.CompletedTask;
    }

    [WorkflowRun]
    public async Task<int> RunAsync(int expected)
    {
        await Workflow.WaitConditionAsync(() => count >= expected);
        return sum;
    }
}

/// <summary>Starts a collector, signals it through the handle, and only then awaits its result.</summary>
[Workflow]
public sealed class ParentSignalsChild
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        var child = await Workflow.StartChildWorkflowAsync((Collector c) => c.RunAsync(3));
        await child.SignalAsync(c => c.AddAsync(1));
        await child.SignalAsync(c => c.AddAsync(2));
        await child.SignalAsync("Add", 4);
        return $"{child.Id}|{child.FirstExecutionRunId}|{await child.GetResultAsync()}";
    }
}

/// <summary>Starts a child under an ID that its first child holds open: the second start fails at the start.</summary>
[Workflow]
public sealed class ParentStartsTwice
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        var options = new ChildWorkflowOptions { Id = Workflow.Info.WorkflowId + "-only" };
        await Workflow.StartChildWorkflowAsync((Sleeper s) => s.RunAsync(), options);
        try
        {
            await Workflow.StartChildWorkflowAsync((Sleeper s) => s.RunAsync(), options);
            return "started twice";
        }
        catch (ChildWorkflowFailureException e)
        {
            return $"{e.ChildWorkflowId}|{e.Failure.Type}";
        }
    }
}

/// <summary>Starts a child by type name (abandoned when the parent closes), never awaits its result, and closes: the child's late report is dropped.</summary>
[Workflow]
public sealed class ParentForgetsChild
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        var child = await Workflow.StartChildWorkflowAsync(nameof(Doubler), 21, new ChildWorkflowOptions { ParentClosePolicy = ParentClosePolicy.Abandon });
        return child.Id;
    }
}

/// <summary>Signals another workflow by ID through a typed external handle.</summary>
[Workflow]
public sealed class ExternalSignaller
{
    [WorkflowRun]
    public async Task RunAsync(string targetId) =>
        await Workflow.GetExternalWorkflowHandle<Collector>(targetId).SignalAsync(c => c.AddAsync(5));
}

/// <summary>Asks another workflow to cancel, and reports what became of a request to a workflow that does not exist.</summary>
[Workflow]
public sealed class ExternalCanceller
{
    [WorkflowRun]
    public async Task<string> RunAsync(string targetId)
    {
        await Workflow.GetExternalWorkflowHandle(targetId).CancelAsync();
        try
        {
            await Workflow.GetExternalWorkflowHandle(targetId + "-missing").SignalAsync("Add", 1);
            return "delivered to nobody";
        }
        catch (ExternalWorkflowFailureException e)
        {
            return $"{e.WorkflowId}|{e.Failure.Type}";
        }
    }
}
