namespace ServerlessFlow.Bench.Tests;

public sealed class BenchOptionsTests
{
    [Fact]
    public void Parse_CommaSeparatedAndRepeatedWorkloads_RunsEachOnceInOrder()
    {
        var options = BenchOptions.Parse(["--workload", "fanout,long", "--workload", "idle,fanout", "--peer", "dtfx", "--runs", "3"]);

        Assert.Equal([Workload.FanOut, Workload.Long, Workload.Idle], options.Workloads);
        Assert.True(options.WithPeer);
        Assert.Equal(3, options.Runs);
    }

    [Fact]
    public void Parse_NoWorkload_RunsAllFourWithTheirOwnSizes()
    {
        var options = BenchOptions.Parse([]);

        Assert.Equal([Workload.Sequence, Workload.FanOut, Workload.Long, Workload.Idle], options.Workloads);
        Assert.Equal((200, 50), (options.WorkflowsOf(Workload.Sequence), options.ConcurrencyOf(Workload.Sequence)));
        Assert.Equal((50, 10), (options.WorkflowsOf(Workload.FanOut), options.ConcurrencyOf(Workload.FanOut)));
        Assert.Equal(1, options.WorkflowsOf(Workload.Long));
    }

    [Fact]
    public void Parse_NoEager_IsSetAndPassedToEachChildRun()
    {
        var options = BenchOptions.Parse(["--workload", "sequence", "--no-eager", "--peer", "dtfx"]);

        Assert.True(options.NoEager);
        Assert.True(options.WithPeer);
        var child = BenchOptions.Parse(options.ChildArguments(Workload.Sequence, "ours", "UseDevelopmentStorage=true"));
        Assert.True(child.NoEager);
        Assert.Equal("ours", child.ChildEngine);
    }

    [Fact]
    public void Parse_WithoutNoEager_KeepsEagerExecutionInEachChildRun()
    {
        var options = BenchOptions.Parse(["--workload", "sequence"]);

        Assert.False(options.NoEager);
        Assert.DoesNotContain("--no-eager", options.ChildArguments(Workload.Sequence, "ours", "UseDevelopmentStorage=true"));
    }

    [Theory]
    [InlineData("--workload", "bursty")]
    [InlineData("--peer", "temporal")]
    [InlineData("--workflows", "-1")]
    [InlineData("--frobnicate", "1")]
    public void Parse_BadArgument_ThrowsNamingIt(string name, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => BenchOptions.Parse([name, value]));

        Assert.Contains(name == "--workload" ? value : name, error.Message, StringComparison.Ordinal);
    }
}
