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
        var child = BenchOptions.Parse(options.ChildArguments(Workload.Sequence, "ours", "UseDevelopmentStorage=true", storagePid: null));
        Assert.True(child.NoEager);
        Assert.Equal("ours", child.ChildEngine);
    }

    [Fact]
    public void Parse_WithoutNoEager_KeepsEagerExecutionInEachChildRun()
    {
        var options = BenchOptions.Parse(["--workload", "sequence"]);

        Assert.False(options.NoEager);
        Assert.DoesNotContain("--no-eager", options.ChildArguments(Workload.Sequence, "ours", "UseDevelopmentStorage=true", storagePid: null));
    }

    [Fact]
    public void Parse_TaskQueues_IsSetAndPassedToEachChildRunWithOneAsTheDefault()
    {
        var options = BenchOptions.Parse(["--workload", "idle", "--task-queues", "5"]);

        var child = BenchOptions.Parse(options.ChildArguments(Workload.Idle, "ours", "UseDevelopmentStorage=true", storagePid: null));
        Assert.Equal((5, 5), (options.TaskQueues, child.TaskQueues));
        Assert.Equal(1, BenchOptions.Parse([]).TaskQueues);
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

    [Fact]
    public void WarmUpOf_NoWarmupGiven_SequenceWarmsWithItsConcurrencyOthersWithNone()
    {
        var options = BenchOptions.Parse(["--concurrency", "20"]);

        Assert.Equal((20, 0, 0), (options.WarmUpOf(Workload.Sequence), options.WarmUpOf(Workload.FanOut), options.WarmUpOf(Workload.Long)));
        Assert.Equal(5, BenchOptions.Parse(["--warmup", "5"]).WarmUpOf(Workload.FanOut));
    }

    [Fact]
    public void ChildArguments_StorageStartedByTheBenchmark_PassItsPidAndTheWarmUp()
    {
        var child = BenchOptions.Parse(["--warmup", "7"]).ChildArguments(Workload.Sequence, "ours", "UseDevelopmentStorage=true", storagePid: 4242);
        var parsed = BenchOptions.Parse(child);

        Assert.Equal((4242, 7, "ours"), (parsed.StoragePid, parsed.WarmUpOf(Workload.Sequence), parsed.ChildEngine));
        Assert.Null(BenchOptions.Parse(BenchOptions.Parse([]).ChildArguments(Workload.Sequence, "dtfx", "UseDevelopmentStorage=true", storagePid: null)).StoragePid);
    }
}
