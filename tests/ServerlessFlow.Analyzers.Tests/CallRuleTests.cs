namespace ServerlessFlow.Analyzers.Tests;

/// <summary>Calls to activities and child workflows: direct calls, unknown names, arguments and results that do not fit.</summary>
public sealed class CallRuleTests
{
    private const string Activities = """
        public sealed record Order(string Id);

        public sealed class Payments
        {
            [Activity]
            public Task<string> ChargeAsync(Order order, CancellationToken token) => Task.FromResult(order.Id);

            [Activity("refund")]
            public Task RefundAsync(Order order, decimal amount) => Task.CompletedTask;

            public Task<string> NotAnActivityAsync(Order order) => Task.FromResult(order.Id);
        }

        [Workflow("shipment")]
        public sealed class Shipment
        {
            [WorkflowRun]
            public Task<int> RunAsync(Order order) => Task.FromResult(1);
        }

        [Workflow]
        public sealed class NoInput
        {
            [WorkflowRun]
            public Task<string> RunAsync() => Task.FromResult("done");
        }

        """;

    private static Task Analyze<TAnalyzer>(string body)
        where TAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer, new() => Verify.AnalyzerAsync<TAnalyzer>(Activities + $$"""
        [Workflow]
        public sealed class W
        {
            private static readonly ActivityOptions Options = new() { StartToCloseTimeout = TimeSpan.FromSeconds(5) };
            private static readonly LocalActivityOptions LocalOptions = new() { StartToCloseTimeout = TimeSpan.FromSeconds(5) };

            [WorkflowRun]
            public async Task RunAsync(Order order)
            {
                {{body}}
            }
        }
        """);

    [Fact]
    public Task DirectActivityCall_ActivityInvokedAsMethod_Reported() =>
        Analyze<WorkflowCodeAnalyzer>("await {|SFLOW0019:new Payments().ChargeAsync(order, default)|};");

    [Fact]
    public Task DirectActivityCall_ThroughExecuteActivity_NotReported() =>
        Analyze<WorkflowCodeAnalyzer>("await Workflow.ExecuteActivityAsync((Payments p) => p.ChargeAsync(order, default), Options);");

    [Fact]
    public Task UnknownActivity_LambdaToPlainMethodOrUnknownName_Reported() => Analyze<WorkflowCallAnalyzer>("""
        await Workflow.ExecuteActivityAsync((Payments p) => {|SFLOW0022:p.NotAnActivityAsync(order)|}, Options);
        await Workflow.ExecuteActivityAsync<string>({|SFLOW0022:"Chrage"|}, [order], Options);
        await Workflow.ExecuteLocalActivityAsync((Payments p) => {|SFLOW0022:p.NotAnActivityAsync(order)|}, LocalOptions);
        await Workflow.ExecuteLocalActivityAsync<string>({|SFLOW0022:"Chrage"|}, [order], LocalOptions);
        """);

    [Fact]
    public Task UnknownActivity_KnownNames_NotReported() => Analyze<WorkflowCallAnalyzer>("""
        await Workflow.ExecuteActivityAsync((Payments p) => p.ChargeAsync(order, default), Options);
        await Workflow.ExecuteActivityAsync<string>("Charge", [order], Options);
        await Workflow.ExecuteActivityAsync<object>("refund", new object?[] { order, 10m }, Options);
        await Workflow.ExecuteLocalActivityAsync((Payments p) => p.ChargeAsync(order, default), LocalOptions);
        await Workflow.ExecuteLocalActivityAsync<string>("Charge", [order], LocalOptions);
        """);

    [Fact]
    public Task UnknownChild_PlainMethodOrUnknownName_Reported() => Analyze<WorkflowCallAnalyzer>("""
        await Workflow.ExecuteChildWorkflowAsync((Payments p) => {|SFLOW0023:p.NotAnActivityAsync(order)|});
        await Workflow.ExecuteChildWorkflowAsync<int>({|SFLOW0023:"Shipment"|}, order);
        await Workflow.StartChildWorkflowAsync((Payments p) => {|SFLOW0023:p.NotAnActivityAsync(order)|});
        await Workflow.StartChildWorkflowAsync({|SFLOW0023:"Shipment"|}, order);
        """);

    [Fact]
    public Task UnknownChild_KnownNames_NotReported() => Analyze<WorkflowCallAnalyzer>("""
        await Workflow.ExecuteChildWorkflowAsync((Shipment s) => s.RunAsync(order));
        await Workflow.ExecuteChildWorkflowAsync<int>("shipment", order);
        await Workflow.StartChildWorkflowAsync((Shipment s) => s.RunAsync(order));
        await Workflow.StartChildWorkflowAsync("shipment", order);
        """);

    [Fact]
    public Task ArgumentMismatch_WrongCountOrType_Reported() => Analyze<WorkflowCallAnalyzer>("""
        await Workflow.ExecuteActivityAsync<string>("Charge", {|SFLOW0024:[order, 1]|}, Options);
        await Workflow.ExecuteActivityAsync<object>("refund", [order, {|SFLOW0024:"ten"|}], Options);
        await Workflow.ExecuteChildWorkflowAsync<int>("shipment", {|SFLOW0024:42|});
        """);

    [Fact]
    public Task ArgumentMismatch_FittingArguments_NotReported() => Analyze<WorkflowCallAnalyzer>("""
        await Workflow.ExecuteActivityAsync<object>("refund", [order, 10], Options);
        await Workflow.ExecuteChildWorkflowAsync<int>("shipment", null);
        await Workflow.ExecuteChildWorkflowAsync<string>("NoInput", null);
        """);

    [Fact]
    public Task ResultMismatch_WrongResultType_Reported() => Analyze<WorkflowCallAnalyzer>("""
        await {|SFLOW0025:Workflow.ExecuteActivityAsync<int>("Charge", [order], Options)|};
        await {|SFLOW0025:Workflow.ExecuteChildWorkflowAsync<string>("shipment", order)|};
        """);

    [Fact]
    public Task ResultMismatch_SameOrWiderType_NotReported() => Analyze<WorkflowCallAnalyzer>("""
        await Workflow.ExecuteActivityAsync<string>("Charge", [order], Options);
        await Workflow.ExecuteChildWorkflowAsync<long>("shipment", order);
        await Workflow.ExecuteChildWorkflowAsync<System.Text.Json.JsonElement>("shipment", order);
        """);
}
