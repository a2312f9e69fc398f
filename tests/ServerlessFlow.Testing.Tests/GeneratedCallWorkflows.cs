namespace ServerlessFlow.Testing.Tests;

/// <summary>Counts down through a child per step, calling everything through the generated stubs.</summary>
[Workflow]
public sealed class CountdownWorkflow
{
    private static readonly ActivityOptions Options = new() { StartToCloseTimeout = TimeSpan.FromSeconds(10) };

    /// <summary>The lines written so far.</summary>
    [WorkflowQuery("lines")]
    public List<string> Lines { get; } = [];

    [WorkflowRun]
    public async Task<string> RunAsync(int from)
    {
        for (var i = from; i > 0; i--)
        {
            Lines.Add(await CountdownActivitiesCalls.SayAsync(i, Options));
            await Workflow.DelayAsync(TimeSpan.FromDays(1));
        }

        return await LiftoffWorkflowCalls.ExecuteChildAsync("liftoff");
    }
}

/// <summary>The child run at the end of the countdown.</summary>
[Workflow]
public sealed class LiftoffWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync(string word) => Task.FromResult(word.ToUpperInvariant());
}

/// <summary>Activities of <see cref="CountdownWorkflow"/>.</summary>
public sealed class CountdownActivities
{
    [Activity]
    public string Say(int number) => $"{number}...";
}
