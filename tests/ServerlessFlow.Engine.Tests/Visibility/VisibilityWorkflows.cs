namespace ServerlessFlow.Engine.Tests.Visibility;

/// <summary>Upserts its step as a search attribute, waits for "advance", upserts again and completes; or continues as new once.</summary>
[Workflow]
public sealed class SteppedWorkflow
{
    private bool advance;

    [WorkflowRun]
    public async Task<string> RunAsync(SteppedInput input)
    {
        Workflow.UpsertSearchAttributes(new Dictionary<string, object?> { ["Step"] = "waiting", ["Attempts"] = input.Generation });
        await Workflow.WaitConditionAsync(() => advance);
        if (input.ContinueAsNew)
        {
            throw Workflow.CreateContinueAsNewException(input with { ContinueAsNew = false, Generation = input.Generation + 1 });
        }

        Workflow.UpsertSearchAttributes(new Dictionary<string, object?> { ["Step"] = "done", ["Attempts"] = null });
        return "done";
    }

    [WorkflowSignal("advance")]
    public void Advance() => advance = true;
}

/// <summary>Input of <see cref="SteppedWorkflow"/>.</summary>
public sealed record SteppedInput(bool ContinueAsNew = false, int Generation = 1);

/// <summary>Tries to upsert an attribute that is not registered.</summary>
[Workflow]
public sealed class BadUpsertWorkflow
{
    [WorkflowRun]
    public Task RunAsync()
    {
        Workflow.UpsertSearchAttributes(new Dictionary<string, object?> { ["Unregistered"] = "x" });
        return Task.CompletedTask;
    }
}

/// <summary>Completes at once with its input.</summary>
[Workflow]
public sealed class QuickWorkflow
{
    [WorkflowRun]
    public Task<int> RunAsync(int value) => Task.FromResult(value);
}

/// <summary>Starts a child with a memo and search attributes, and reports what it sees of its own attributes.</summary>
[Workflow]
public sealed class ParentWithTaggedChild
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        var options = new ChildWorkflowOptions
        {
            Id = Workflow.Info.WorkflowId + "-child",
            Memo = new Dictionary<string, object?> { ["origin"] = "parent" },
            SearchAttributes = new Dictionary<string, object?> { ["Customer"] = "c-9" },
        };
        return await Workflow.ExecuteChildWorkflowAsync<string>(nameof(ReportsOwnAttributes), null, options) ?? "no result";
    }
}

/// <summary>Returns the Customer search attribute it sees through <see cref="Workflow.SearchAttributes"/>.</summary>
[Workflow]
public sealed class ReportsOwnAttributes
{
    [WorkflowRun]
    public Task<string> RunAsync() => Task.FromResult(Workflow.SearchAttributes.TryGetValue("Customer", out var customer) ? customer.GetString()! : "none");
}
