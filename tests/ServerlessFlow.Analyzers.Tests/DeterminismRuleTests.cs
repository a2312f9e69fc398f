namespace ServerlessFlow.Analyzers.Tests;

public sealed class DeterminismRuleTests
{
    [Fact]
    public Task CurrentTime_InRunMethod_Reported() => Verify.AnalyzerAsync<WorkflowCodeAnalyzer>("""
        [Workflow]
        public sealed class W
        {
            [WorkflowRun]
            public Task<DateTime> RunAsync() => Task.FromResult({|SFLOW0001:DateTime.UtcNow|});
        }
        """);
}
