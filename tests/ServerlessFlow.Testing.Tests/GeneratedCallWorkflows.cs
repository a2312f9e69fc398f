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

/// <summary>Calls an activity by name with fewer arguments than it has parameters: the worker fills in the parameter's default.</summary>
[Workflow]
public sealed class ShoutWorkflow
{
    private static readonly ActivityOptions Options = new() { StartToCloseTimeout = TimeSpan.FromSeconds(10) };

    [WorkflowRun]
    public async Task<string> RunAsync(string word) => (await Workflow.ExecuteActivityAsync<string>("Shout", [word], Options))!;
}

/// <summary>An activity returning ValueTask&lt;T&gt;, with an optional parameter and the attempt's token.</summary>
public sealed class ShoutActivities
{
    [Activity]
    public ValueTask<string> ShoutAsync(string word, int times = 2, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(string.Join(' ', Enumerable.Repeat(word.ToUpperInvariant(), cancellationToken.CanBeCanceled ? times : 0)));
}
