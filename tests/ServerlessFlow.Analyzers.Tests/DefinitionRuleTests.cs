namespace ServerlessFlow.Analyzers.Tests;

/// <summary>The definition rules: what registration would refuse at start-up, reported at compile time.</summary>
public sealed class DefinitionRuleTests
{
    [Fact]
    public Task CancellationTokenParameter_OnRunAndSignal_Reported() => Verify.AnalyzerAsync<WorkflowDefinitionAnalyzer>("""
        [Workflow]
        public sealed class W
        {
            [WorkflowRun]
            public Task {|SFLOW0007:RunAsync|}(CancellationToken token) => Task.CompletedTask;

            [WorkflowSignal]
            public void {|SFLOW0007:Ping|}(CancellationToken token) { }
        }
        """);

    [Fact]
    public Task CancellationTokenParameter_OnActivity_NotReported() => Verify.AnalyzerAsync<WorkflowDefinitionAnalyzer>("""
        public sealed class A
        {
            [Activity]
            public Task WorkAsync(string input, CancellationToken token) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task RunParameters_TwoParameters_Reported() => Verify.AnalyzerAsync<WorkflowDefinitionAnalyzer>("""
        [Workflow]
        public sealed class W
        {
            [WorkflowRun]
            public Task {|SFLOW0008:RunAsync|}(string name, int count) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task RunParameters_OneRecordParameter_NotReported() => Verify.AnalyzerAsync<WorkflowDefinitionAnalyzer>("""
        public sealed record Input(string Name, int Count);

        [Workflow]
        public sealed class W
        {
            [WorkflowRun]
            public Task RunAsync(Input input) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task RunMethodCount_NoneOrTwo_Reported() => Verify.AnalyzerAsync<WorkflowDefinitionAnalyzer>("""
        [Workflow]
        public sealed class {|SFLOW0009:NoRun|}
        {
            public Task RunAsync() => Task.CompletedTask;
        }

        [Workflow]
        public sealed class {|SFLOW0009:TwoRuns|}
        {
            [WorkflowRun]
            public Task RunAsync() => Task.CompletedTask;

            [WorkflowRun]
            public Task OtherAsync() => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task RunMethodCount_ExactlyOne_NotReported() => Verify.AnalyzerAsync<WorkflowDefinitionAnalyzer>("""
        [Workflow("named")]
        public sealed class W
        {
            [WorkflowRun]
            public Task<int> RunAsync() => Task.FromResult(1);
        }
        """);

    [Fact]
    public Task HandlerShape_WrongReturnTypesAndValidator_Reported() => Verify.AnalyzerAsync<WorkflowDefinitionAnalyzer>("""
        [Workflow]
        public sealed class W
        {
            [WorkflowRun]
            public int {|SFLOW0020:Run|}() => 1;

            [WorkflowSignal]
            public int {|SFLOW0020:Ping|}() => 1;

            [WorkflowQuery]
            public Task<int> {|SFLOW0020:CountAsync|}() => Task.FromResult(1);

            [WorkflowUpdate]
            public int {|SFLOW0020:Set|}(int value) => value;

            [WorkflowUpdate]
            public Task SetAsync(int value) => Task.CompletedTask;

            [WorkflowUpdateValidator(nameof(SetAsync))]
            public void {|SFLOW0020:ValidateSet|}(string value) { }

            [WorkflowSignal]
            public void {|SFLOW0020:Two|}(int a, int b) { }
        }
        """);

    [Fact]
    public Task HandlerShape_WellFormedHandlers_NotReported() => Verify.AnalyzerAsync<WorkflowDefinitionAnalyzer>("""
        [Workflow]
        public sealed class W
        {
            [WorkflowRun]
            public Task<int> RunAsync() => Task.FromResult(1);

            [WorkflowSignal]
            public void Ping(string who) { }

            [WorkflowQuery]
            public int Count() => 1;

            [WorkflowQuery]
            public string Status { get; } = "ok";

            [WorkflowUpdate]
            public Task<int> SetAsync(int value) => Task.FromResult(value);

            [WorkflowUpdateValidator(nameof(SetAsync))]
            public void ValidateSet(int value) { }
        }
        """);

    [Fact]
    public Task DefinitionShape_ConstructorAndActivities_Reported() => Verify.AnalyzerAsync<WorkflowDefinitionAnalyzer>("""
        [Workflow]
        public sealed class {|SFLOW0021:W|}
        {
            public W(string service) { }

            [WorkflowRun]
            public Task RunAsync() => Task.CompletedTask;
        }

        public sealed class A
        {
            [Activity]
            public static Task {|SFLOW0021:StaticAsync|}() => Task.CompletedTask;

            [Activity]
            public void {|SFLOW0021:Out|}(out int value) => value = 1;
        }
        """);

    [Fact]
    public Task DefinitionShape_ServicesInActivityConstructor_NotReported() => Verify.AnalyzerAsync<WorkflowDefinitionAnalyzer>("""
        public sealed class A(IServiceProvider services)
        {
            [Activity]
            public Task<string> WorkAsync(string input) => Task.FromResult(input + services);
        }
        """);
}
