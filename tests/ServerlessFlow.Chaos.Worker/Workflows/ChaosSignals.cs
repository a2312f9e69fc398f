namespace ServerlessFlow.Chaos.Worker.Workflows;

/// <summary>Collects "add" signals until it has the number expected, runs an activity, and returns them in the order received.</summary>
[Workflow]
public sealed class ChaosSignals
{
    private readonly List<string> received = [];

    /// <summary>Adds a value.</summary>
    [WorkflowSignal("add")]
    public void Add(string value) => received.Add(value);

    /// <summary>Waits for the signals.</summary>
    [WorkflowRun]
    public async Task<List<string>> RunAsync(int expected)
    {
        await Workflow.WaitConditionAsync(() => received.Count >= expected);
        await Workflow.ExecuteActivityAsync((ChaosActivities a) => a.EchoAsync("received", 0), ChaosActivities.Options);
        return received;
    }
}
