using ServerlessFlow.Samples;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Cli.Tests;

/// <summary><c>replay</c>: a history recorded on the dev server, replayed against the deployed assembly and against changed code.</summary>
[Collection(DevServerGroup.Name)]
public sealed class ReplayCommandTests(DevServerFixture fixture) : IDisposable
{
    // HelloSequence as the samples define it, by activity name, under a class name of its own (a "renamed" workflow).
    private const string RenamedWorkflow = """
        using ServerlessFlow;
        namespace Changed;
        [Workflow]
        public sealed class HelloSequenceRenamed
        {
            [WorkflowRun]
            public async System.Threading.Tasks.Task<System.Collections.Generic.List<int>> RunAsync(Input input)
            {
                var options = new ActivityOptions { StartToCloseTimeout = System.TimeSpan.FromMilliseconds(input.TimeoutMs ?? 60_000) };
                var results = new System.Collections.Generic.List<int>();
                for (var i = 0; i < input.Count; i++)
                {
                    results.Add(await Workflow.ExecuteActivityAsync<int>("Step", new object?[] { i, input.DelayMs }, options));
                }

                return results;
            }
        }
        public sealed record Input(int Count, int DelayMs, int? TimeoutMs = null);
        """;

    // HelloSequence after an unguarded change: a timer now runs before the first activity.
    private const string ChangedWorkflow = """
        using ServerlessFlow;
        namespace Changed;
        [Workflow]
        public sealed class HelloSequence
        {
            [WorkflowRun]
            public async System.Threading.Tasks.Task<System.Collections.Generic.List<int>> RunAsync(Input input)
            {
                await Workflow.DelayAsync(System.TimeSpan.FromSeconds(1));
                var options = new ActivityOptions { StartToCloseTimeout = System.TimeSpan.FromMilliseconds(input.TimeoutMs ?? 60_000) };
                var results = new System.Collections.Generic.List<int>();
                for (var i = 0; i < input.Count; i++)
                {
                    results.Add(await Workflow.ExecuteActivityAsync<int>("Step", new object?[] { i, input.DelayMs }, options));
                }

                return results;
            }
        }
        public sealed record Input(int Count, int DelayMs, int? TimeoutMs = null);
        """;

    private readonly Cli cli = new(fixture.Server.ApiAddress);
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("sf-replay-");

    public void Dispose() => directory.Delete(recursive: true);

    [Fact]
    public async Task Replay_RecordedHistoryAgainstTheDeployedAssembly_ExitsZero()
    {
        var history = await RecordHelloSequenceAsync();

        var run = await cli.RunRawAsync("replay", "--history", history, "--assembly", typeof(HelloSequence).Assembly.Location);

        run.AssertExit(ExitCodes.Ok);
        Assert.Contains("the code matches history", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_WorkflowChangedWithoutAPatch_ExitsOneWithTheDivergence()
    {
        var history = await RecordHelloSequenceAsync();
        var changed = WorkflowCompiler.CompileToFile("ChangedHello", ChangedWorkflow, directory.FullName);

        var run = await cli.RunRawAsync("replay", "--history", history, "--assembly", changed);

        run.AssertExit(ExitCodes.Refused);
        Assert.Contains("history recorded ActivityScheduled", run.Error, StringComparison.Ordinal);
        Assert.Contains("the code now did StartTimer 00:00:01", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_WorkflowTypeOption_ReplaysWithTheRenamedClass()
    {
        var history = await RecordHelloSequenceAsync();
        var renamed = WorkflowCompiler.CompileToFile("RenamedHello", RenamedWorkflow, directory.FullName);

        var byRecordedType = await cli.RunRawAsync("replay", "--history", history, "--assembly", renamed);
        var byGivenType = await cli.RunRawAsync("replay", "--history", history, "--assembly", renamed, "--workflow-type", "HelloSequenceRenamed", "--output", "json");

        byRecordedType.AssertExit(ExitCodes.Refused);
        Assert.Contains("HelloSequence", byRecordedType.Error, StringComparison.Ordinal);
        byGivenType.AssertExit(ExitCodes.Ok);
        Assert.Contains("\"deterministic\": true", byGivenType.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_MissingOrMalformedHistory_ExitsTwo()
    {
        var malformed = Path.Combine(directory.FullName, "malformed.json");
        await File.WriteAllTextAsync(malformed, """{"id":"x"}""");

        var missing = await cli.RunRawAsync("replay", "--history", Path.Combine(directory.FullName, "none.json"), "--assembly", typeof(HelloSequence).Assembly.Location);
        var notHistory = await cli.RunRawAsync("replay", "--history", malformed, "--assembly", typeof(HelloSequence).Assembly.Location);
        var noAssembly = await cli.RunRawAsync("replay", "--history", malformed);

        missing.AssertExit(ExitCodes.Usage);
        Assert.Contains("does not exist", missing.Error, StringComparison.Ordinal);
        notHistory.AssertExit(ExitCodes.Usage);
        Assert.Contains("is not a workflow history", notHistory.Error, StringComparison.Ordinal);
        noAssembly.AssertExit(ExitCodes.Usage);
    }

    /// <summary>Runs HelloSequence(2) on the dev server and saves its history as <c>workflow history --output json</c> prints it.</summary>
    private async Task<string> RecordHelloSequenceAsync()
    {
        var id = $"cli-replay-{Guid.NewGuid():N}";
        await cli.JsonAsync("workflow", "start", "HelloSequence", "--id", id, "--input", """{"count":2,"delayMs":0}""");
        await cli.JsonAsync("workflow", "result", id, "--wait", "90");
        var export = await cli.RunAsync("workflow", "history", id, "--output", "json");
        export.AssertExit(ExitCodes.Ok);
        var path = Path.Combine(directory.FullName, id + ".json");
        await File.WriteAllTextAsync(path, export.Output);
        return path;
    }
}
