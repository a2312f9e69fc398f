namespace ServerlessFlow.Analyzers.Tests;

/// <summary>The determinism rules: each reported in workflow code, and not for the deterministic alternative or code outside workflows.</summary>
public sealed class DeterminismRuleTests
{
    private static Task Run(string body, string members = "") => Verify.AnalyzerAsync<WorkflowCodeAnalyzer>($$"""
        [Workflow]
        public sealed class W
        {
            {{members}}
            [WorkflowRun]
            public async Task RunAsync()
            {
                {{body}}
                await Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task CurrentTime_ClockInRunMethod_Reported() => Run("""
        var a = {|SFLOW0001:DateTime.UtcNow|};
        var b = {|SFLOW0001:DateTime.Now|};
        var c = {|SFLOW0001:DateTimeOffset.UtcNow|};
        var d = {|SFLOW0001:TimeProvider.System|}.GetUtcNow();
        """);

    [Fact]
    public Task CurrentTime_WorkflowUtcNow_NotReported() => Run("var a = Workflow.UtcNow; var b = new DateTime(2026, 1, 1);");

    [Fact]
    public Task CurrentTime_OutsideWorkflowClass_NotReported() => Verify.AnalyzerAsync<WorkflowCodeAnalyzer>("""
        public sealed class NotAWorkflow
        {
            public DateTime Now() => DateTime.UtcNow;
        }
        """);

    [Fact]
    public Task CurrentTime_InPrivateHelperCalledFromSignal_Reported() => Verify.AnalyzerAsync<WorkflowCodeAnalyzer>("""
        [Workflow]
        public sealed class W
        {
            private DateTime seen;

            [WorkflowRun]
            public Task RunAsync() => Task.CompletedTask;

            [WorkflowSignal]
            public void Ping() => Remember();

            private void Remember() => seen = {|SFLOW0001:DateTime.UtcNow|};
        }
        """);

    [Fact]
    public Task CurrentTime_InHelperNothingCalls_NotReported() => Verify.AnalyzerAsync<WorkflowCodeAnalyzer>("""
        [Workflow]
        public sealed class W
        {
            [WorkflowRun]
            public Task RunAsync() => Task.CompletedTask;

            public static DateTime UsedByTheHost() => DateTime.UtcNow;
        }
        """);

    [Fact]
    public Task NewGuid_InRunMethod_Reported() => Run("var id = {|SFLOW0002:Guid.NewGuid()|};");

    [Fact]
    public Task NewGuid_WorkflowNewGuidOrParse_NotReported() => Run("""var id = Workflow.NewGuid(); var p = Guid.Parse("7d4f0f7e-5b8e-4c1e-9d35-3a0a4c7a2b11");""");

    [Fact]
    public Task Delay_TaskDelayAndThreadSleep_Reported() => Run("""
        await {|SFLOW0003:Task.Delay(100)|};
        {|SFLOW0003:Thread.Sleep(100)|};
        """);

    [Fact]
    public Task Delay_WorkflowDelayAsync_NotReported() => Run("await Workflow.DelayAsync(TimeSpan.FromSeconds(1));");

    [Fact]
    public Task ThreadsAndTasks_RunFactoryThreadParallel_Reported() => Run("""
        await {|SFLOW0004:Task.Run(() => 1)|};
        await {|SFLOW0004:{|SFLOW0004:Task.Factory|}.StartNew(() => 1)|};
        {|SFLOW0004:{|SFLOW0004:new Thread(() => { })|}.Start()|};
        {|SFLOW0004:Parallel.For(0, 3, i => { })|};
        {|SFLOW0004:ThreadPool.QueueUserWorkItem(_ => { })|};
        {|SFLOW0004:Task.WaitAll()|};
        """);

    [Fact]
    public Task ThreadsAndTasks_WorkflowAwaitsAndYield_NotReported() => Run("""
        var t = Workflow.DelayAsync(TimeSpan.FromSeconds(1));
        await Task.Yield();
        await t;
        """);

    [Fact]
    public Task InputOutput_FilesHttpConsole_Reported() => Run("""
        var text = {|SFLOW0005:System.IO.File.ReadAllText("x")|};
        using var http = {|SFLOW0005:new System.Net.Http.HttpClient()|};
        await {|SFLOW0005:http.GetStringAsync("http://example.invalid")|};
        {|SFLOW0005:Console.WriteLine(text)|};
        """);

    [Fact]
    public Task InputOutput_InMemoryWork_NotReported() => Run("""
        using var stream = new System.IO.MemoryStream();
        var path = System.IO.Path.Combine("a", "b");
        var text = string.Join(",", new[] { path });
        """);

    [Fact]
    public Task EnvironmentAccess_VariablesAndMachine_Reported() => Run("""
        var v = {|SFLOW0006:Environment.GetEnvironmentVariable("X")|};
        var m = {|SFLOW0006:Environment.MachineName|};
        var t = {|SFLOW0006:Environment.TickCount64|};
        """);

    [Fact]
    public Task EnvironmentAccess_NewLine_NotReported() => Run("var n = Environment.NewLine;");

    [Fact]
    public Task ReplayUnsafeLogging_UnguardedLog_Reported() => Run(
        """{|SFLOW0010:Logger.LogInformation("started")|};""",
        "private static readonly Microsoft.Extensions.Logging.ILogger Logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;");

    [Fact]
    public Task ReplayUnsafeLogging_GuardedByIsReplaying_NotReported() => Run(
        """
        if (!Workflow.IsReplaying)
        {
            Logger.LogInformation("started");
        }
        """,
        "private static readonly Microsoft.Extensions.Logging.ILogger Logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;");

    [Fact]
    public Task ReplayUnsafeLogging_WorkflowLogger_NotReported() => Run(
        """
        Workflow.Logger.LogInformation("started");
        Workflow.Logger.Log(Microsoft.Extensions.Logging.LogLevel.Warning, "again");
        """);

    [Fact]
    public Task UnboundedLoop_EndlessLoopWithTimers_Reported() => Run("""
        {|SFLOW0011:while|} (true)
        {
            await Workflow.DelayAsync(TimeSpan.FromHours(1));
        }
        """);

    [Fact]
    public Task UnboundedLoop_ContinuesAsNew_NotReported() => Run("""
        while (true)
        {
            await Workflow.DelayAsync(TimeSpan.FromHours(1));
            if (Workflow.ContinueAsNewSuggested)
            {
                throw Workflow.CreateContinueAsNewException(null);
            }
        }
        """);

    [Fact]
    public Task RandomNumbers_NewRandomAndShared_Reported() => Run("""
        var a = {|SFLOW0012:new Random()|}.Next();
        var b = {|SFLOW0012:Random.Shared|}.Next();
        """);

    [Fact]
    public Task RandomNumbers_WorkflowRandomOrSeeded_NotReported() => Run("var a = Workflow.Random.Next(); var b = new Random(42).Next();");

    [Fact]
    public Task Stopwatch_StartNew_Reported() => Run("var watch = {|SFLOW0013:System.Diagnostics.Stopwatch.StartNew()|};");

    [Fact]
    public Task Stopwatch_WorkflowTimeDifference_NotReported() => Run("var started = Workflow.UtcNow; var elapsed = Workflow.UtcNow - started;");

    [Fact]
    public Task ConfigureAwaitFalse_OnWorkflowTask_Reported() => Run(
        "await {|SFLOW0014:Workflow.DelayAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false)|};");

    [Fact]
    public Task ConfigureAwaitFalse_ConfigureAwaitTrue_NotReported() => Run("await Workflow.DelayAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(true);");

    [Fact]
    public Task AsyncVoid_SignalHandlerAndLambda_Reported() => Verify.AnalyzerAsync<WorkflowCodeAnalyzer>("""
        [Workflow]
        public sealed class W
        {
            [WorkflowRun]
            public Task RunAsync()
            {
                Action later = {|SFLOW0015:async () => await Workflow.DelayAsync(TimeSpan.FromSeconds(1))|};
                return Task.CompletedTask;
            }

            [WorkflowSignal]
            public async void {|SFLOW0015:Ping|}() => await Workflow.DelayAsync(TimeSpan.FromSeconds(1));
        }
        """);

    [Fact]
    public Task AsyncVoid_AsyncTaskHandler_NotReported() => Verify.AnalyzerAsync<WorkflowCodeAnalyzer>("""
        [Workflow]
        public sealed class W
        {
            [WorkflowRun]
            public Task RunAsync() => Task.CompletedTask;

            [WorkflowSignal]
            public async Task PingAsync() => await Workflow.DelayAsync(TimeSpan.FromSeconds(1));
        }
        """);

    [Fact]
    public Task StaticMutableState_StaticFieldAndProperty_Reported() => Run(
        "{|SFLOW0016:count|}++; {|SFLOW0016:Last|} = 1;",
        "private static int count; private static int Last { get; set; }");

    [Fact]
    public Task StaticMutableState_ReadonlyConstAndInstance_NotReported() => Run(
        "var total = Limit + Options.Length + instanceCount++;",
        "private const int Limit = 3; private static readonly string Options = \"x\"; private int instanceCount;");

    [Fact]
    public Task Locks_LockAndSemaphore_Reported() => Run(
        """
        {|SFLOW0017:lock (gate) { }|}
        await {|SFLOW0017:semaphore.WaitAsync()|};
        """,
        "private readonly object gate = new(); private readonly SemaphoreSlim semaphore = {|SFLOW0017:new SemaphoreSlim(1)|};");

    [Fact]
    public Task Locks_WaitCondition_NotReported() => Run("await Workflow.WaitConditionAsync(() => true);");

    [Fact]
    public Task NonWorkflowTasks_WhenAnyOverHttpAndLocal_Reported() => Run(
        """
        var timer = Workflow.DelayAsync(TimeSpan.FromSeconds(1));
        var call = {|SFLOW0005:http.GetStringAsync("http://example.invalid")|};
        await Task.WhenAny(timer, {|SFLOW0018:call|});
        """,
        "private static readonly System.Net.Http.HttpClient http = {|SFLOW0005:new System.Net.Http.HttpClient()|};");

    [Fact]
    public Task NonWorkflowTasks_WhenAllOverWorkflowTasks_NotReported() => Run(
        """
        var first = Workflow.DelayAsync(TimeSpan.FromSeconds(1));
        await Task.WhenAll(first, StepAsync(), Task.CompletedTask);
        await Task.WhenAll([Workflow.DelayAsync(TimeSpan.FromSeconds(2))]);
        await Task.WhenAll(System.Linq.Enumerable.Select(new[] { 1, 2 }, i => Workflow.DelayAsync(TimeSpan.FromSeconds(i))));
        """,
        "private Task StepAsync() => Workflow.DelayAsync(TimeSpan.FromSeconds(1));");

    [Fact]
    public Task NonWorkflowTasks_WhenAllOverChildAndExternalHandleTasks_NotReported() => Run(
        """
        var child = await Workflow.StartChildWorkflowAsync("Shipment", null);
        var signal = child.SignalAsync("Go");
        var cancel = Workflow.GetExternalWorkflowHandle("other").CancelAsync();
        await Task.WhenAll(signal, cancel, child.GetResultAsync());
        """);
}
