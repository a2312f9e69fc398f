using ServerlessFlow.Analyzers.CodeFixes;

namespace ServerlessFlow.Analyzers.Tests;

/// <summary>Each code fix turns the reported expression into its workflow equivalent.</summary>
public sealed class CodeFixTests
{
    private static Task Fix(string before, string after) => Verify.CodeFixAsync<WorkflowCodeAnalyzer, ReplaceWithWorkflowApiCodeFix>(Wrap(before), Wrap(after));

    private static string Wrap(string body) => $$"""
        [Workflow]
        public sealed class W
        {
            [WorkflowRun]
            public async Task RunAsync()
            {
                {{body}}
            }
        }
        """;

    [Fact]
    public Task CurrentTime_UtcNowNowAndToday_BecomeWorkflowUtcNow() => Fix(
        "var a = {|SFLOW0001:DateTime.UtcNow|}; var b = {|SFLOW0001:DateTime.Now|}; var c = {|SFLOW0001:DateTime.Today|}; var d = {|SFLOW0001:DateTimeOffset.UtcNow|}; await Task.CompletedTask;",
        "var a = Workflow.UtcNow; var b = Workflow.UtcNow; var c = Workflow.UtcNow.Date; var d = new DateTimeOffset(Workflow.UtcNow); await Task.CompletedTask;");

    [Fact]
    public Task NewGuid_BecomesWorkflowNewGuid() => Fix(
        "var id = {|SFLOW0002:Guid.NewGuid()|}; await Task.CompletedTask;",
        "var id = Workflow.NewGuid(); await Task.CompletedTask;");

    [Fact]
    public Task Delay_MillisecondsAndTimeSpanWithToken_BecomeWorkflowDelayAsync() => Fix(
        "using var cts = new CancellationTokenSource(); await {|SFLOW0003:Task.Delay(200)|}; await {|SFLOW0003:Task.Delay(TimeSpan.FromSeconds(1), cts.Token)|};",
        "using var cts = new CancellationTokenSource(); await Workflow.DelayAsync(TimeSpan.FromMilliseconds(200)); await Workflow.DelayAsync(TimeSpan.FromSeconds(1), cts.Token);");

    [Fact]
    public Task RandomNumbers_NewRandomAndShared_BecomeWorkflowRandom() => Fix(
        "var a = {|SFLOW0012:new Random()|}.Next(); var b = {|SFLOW0012:Random.Shared|}.Next(); await Task.CompletedTask;",
        "var a = Workflow.Random.Next(); var b = Workflow.Random.Next(); await Task.CompletedTask;");

    [Fact]
    public Task ConfigureAwaitFalse_Removed() => Fix(
        "await {|SFLOW0014:Workflow.DelayAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false)|};",
        "await Workflow.DelayAsync(TimeSpan.FromSeconds(1));");
}
