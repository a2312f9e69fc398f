namespace ServerlessFlow.Engine.Tests;

/// <summary>Passes activity arguments of every shape a call lambda can hold: constants, captured locals, member chains, computed values.</summary>
[Workflow]
public sealed class ArgumentShapes
{
    private readonly Holder holder = new() { Inner = new Holder { Text = "field-chain" } };

    [WorkflowRun]
    public async Task<string> RunAsync(string input)
    {
        var options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(10) };
        var local = "captured";
        var parts = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            parts.Add(await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.Echo("constant"), options));
            parts.Add(await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.Echo(local), options));
            parts.Add(await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.Echo(holder.Inner!.Text), options));
            parts.Add(await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.Echo(input + i), options));
            parts.Add(await Workflow.ExecuteActivityAsync((FlakyActivities a) => a.Echo(input.ToUpperInvariant()), options));
        }

        return string.Join(",", parts);
    }

    private sealed class Holder
    {
        public Holder? Inner { get; init; }

        public string Text { get; init; } = "";
    }
}
