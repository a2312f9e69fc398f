namespace ServerlessFlow.Engine.Tests;

/// <summary>Activity arguments are read from the call lambda without compiling it, whatever their shape, and stay the same on replay.</summary>
public sealed class ArgumentShapeTests
{
    [Fact]
    public async Task ExecuteActivity_ArgumentsOfEveryShape_ReachTheActivityAsWritten()
    {
        await using var engine = new EngineHarness(b => b.AddWorkflow<ArgumentShapes>().AddActivities<FlakyActivities>(), TestBackend.InMemory());

        var closed = await engine.RunAsync(nameof(ArgumentShapes), "in");

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal("constant,captured,field-chain,in0,IN,constant,captured,field-chain,in1,IN", closed.GetResult<string>());
    }
}
