using Microsoft.CodeAnalysis;

namespace ServerlessFlow.Analyzers;

/// <summary>
/// Every diagnostic the analyzers report. Each ID has a section in docs/analyzers.md (what, why, fix, example);
/// the DURABLExxxx rule of Microsoft.DurableTask.Analyzers it corresponds to, if any, is named beside it.
/// </summary>
internal static class Rules
{
    /// <summary>Where the rules are documented; the anchor is the lower-case ID. Change here when the repository moves.</summary>
    public const string HelpBase = "https://github.com/serverlessflow/serverlessflow/blob/main/docs/analyzers.md#";

    private const string Determinism = "ServerlessFlow.Determinism";
    private const string Definition = "ServerlessFlow.Definition";
    private const string Calls = "ServerlessFlow.Calls";

    /// <summary>DURABLE0001.</summary>
    public static readonly DiagnosticDescriptor CurrentTime = Warn(
        "SFLOW0001", Determinism, "Workflow code must not read the clock",
        "'{0}' in workflow {1} differs on replay; use Workflow.UtcNow");

    /// <summary>DURABLE0002.</summary>
    public static readonly DiagnosticDescriptor NewGuid = Warn(
        "SFLOW0002", Determinism, "Workflow code must not create random GUIDs",
        "'{0}' in workflow {1} differs on replay; use Workflow.NewGuid()");

    /// <summary>DURABLE0003.</summary>
    public static readonly DiagnosticDescriptor Delay = Warn(
        "SFLOW0003", Determinism, "Workflow code must wait with a durable timer",
        "'{0}' in workflow {1} is not a durable timer and blocks or leaves the workflow scheduler; use Workflow.DelayAsync");

    /// <summary>DURABLE0004, and Task.Run/Parallel.</summary>
    public static readonly DiagnosticDescriptor ThreadsAndTasks = Warn(
        "SFLOW0004", Determinism, "Workflow code must not start threads or tasks outside the workflow scheduler",
        "'{0}' in workflow {1} runs code outside the workflow scheduler; await Workflow APIs or workflow methods instead, and move parallel work into activities");

    /// <summary>DURABLE0005.</summary>
    public static readonly DiagnosticDescriptor InputOutput = Warn(
        "SFLOW0005", Determinism, "Workflow code must not do I/O",
        "'{0}' in workflow {1} does I/O, whose result is not recorded and differs on replay; do it in an activity");

    /// <summary>DURABLE0006.</summary>
    public static readonly DiagnosticDescriptor EnvironmentAccess = Warn(
        "SFLOW0006", Determinism, "Workflow code must not read the process environment",
        "'{0}' in workflow {1} reads the process environment, which differs between workers; pass the value in the input or read it in an activity");

    /// <summary>DURABLE0007.</summary>
    public static readonly DiagnosticDescriptor CancellationTokenParameter = Error(
        "SFLOW0007", Definition, "Workflow entry methods take no CancellationToken",
        "{0} takes a CancellationToken, which the engine does not supply; use Workflow.IsCancellationRequested or catch WorkflowCanceledException");

    /// <summary>DURABLE0008 (a run method gets one input).</summary>
    public static readonly DiagnosticDescriptor RunParameters = Error(
        "SFLOW0008", Definition, "A [WorkflowRun] method takes at most one parameter",
        "{0} takes {1} parameters; a workflow has one input: wrap the values in a record");

    /// <summary>DURABLE1001 (the entry point must be well-formed).</summary>
    public static readonly DiagnosticDescriptor RunMethodCount = Error(
        "SFLOW0009", Definition, "A workflow has exactly one public [WorkflowRun] method",
        "Workflow {0} has {1} public [WorkflowRun] methods; it needs exactly one public instance method marked [WorkflowRun]");

    /// <summary>DURABLE0010.</summary>
    public static readonly DiagnosticDescriptor ReplayUnsafeLogging = Warn(
        "SFLOW0010", Determinism, "Workflow code logs again on every replay",
        "'{0}' in workflow {1} writes the same log again on every replay; guard it with 'if (!Workflow.IsReplaying)'");

    /// <summary>DURABLE0011.</summary>
    public static readonly DiagnosticDescriptor UnboundedLoop = Warn(
        "SFLOW0011", Determinism, "An endless workflow loop should continue as new",
        "This endless loop in workflow {0} grows history on every iteration; throw Workflow.CreateContinueAsNewException when Workflow.ContinueAsNewSuggested");

    /// <summary>Random numbers.</summary>
    public static readonly DiagnosticDescriptor RandomNumbers = Warn(
        "SFLOW0012", Determinism, "Workflow code must not use an unseeded Random",
        "'{0}' in workflow {1} differs on replay; use Workflow.Random");

    /// <summary>Stopwatch.</summary>
    public static readonly DiagnosticDescriptor Stopwatch = Warn(
        "SFLOW0013", Determinism, "Workflow code must not measure elapsed time",
        "'{0}' in workflow {1} measures real time, which differs on replay; compare Workflow.UtcNow values");

    /// <summary>ConfigureAwait(false).</summary>
    public static readonly DiagnosticDescriptor ConfigureAwaitFalse = Warn(
        "SFLOW0014", Determinism, "Workflow code must not use ConfigureAwait(false)",
        "'{0}' in workflow {1} continues off the workflow scheduler; remove it");

    /// <summary>async void.</summary>
    public static readonly DiagnosticDescriptor AsyncVoid = Warn(
        "SFLOW0015", Determinism, "Workflow code must not be async void",
        "'{0}' in workflow {1} is async void: the engine cannot await it or see its failure; return Task");

    /// <summary>Static mutable state.</summary>
    public static readonly DiagnosticDescriptor StaticMutableState = Warn(
        "SFLOW0016", Determinism, "Workflow code must not use static mutable state",
        "'{0}' in workflow {1} is static mutable state, shared between runs and lost on restart; keep state in instance fields");

    /// <summary>Locks and semaphores.</summary>
    public static readonly DiagnosticDescriptor Locks = Warn(
        "SFLOW0017", Determinism, "Workflow code must not lock or wait on synchronization primitives",
        "'{0}' in workflow {1} blocks the single workflow thread; workflow code never runs concurrently, so use Workflow.WaitConditionAsync to wait for state");

    /// <summary>WhenAll/WhenAny over tasks that are not workflow tasks.</summary>
    public static readonly DiagnosticDescriptor NonWorkflowTasks = Warn(
        "SFLOW0018", Determinism, "Task.WhenAll and Task.WhenAny take only workflow tasks",
        "'{0}' waits for '{1}', which is not a workflow task and never completes on the workflow scheduler; await Workflow APIs or workflow methods only");

    /// <summary>An activity called as a plain method.</summary>
    public static readonly DiagnosticDescriptor DirectActivityCall = Warn(
        "SFLOW0019", Determinism, "Activities are called through Workflow.ExecuteActivityAsync",
        "'{0}' is an activity called directly from workflow {1}: it runs on every replay with no retry or timeout; call Workflow.ExecuteActivityAsync((T a) => a.{2}(...), options)");

    /// <summary>DURABLE1001–1003 (an attribute on a member of the wrong shape).</summary>
    public static readonly DiagnosticDescriptor HandlerShape = Error(
        "SFLOW0020", Definition, "Workflow handler has the wrong shape",
        "{0}");

    /// <summary>DURABLE1001–1003 (a class or activity the registry would refuse).</summary>
    public static readonly DiagnosticDescriptor DefinitionShape = Error(
        "SFLOW0021", Definition, "Workflow or activity definition cannot be registered",
        "{0}");

    /// <summary>DURABLE2003.</summary>
    public static readonly DiagnosticDescriptor UnknownActivity = Warn(
        "SFLOW0022", Calls, "Activity not found",
        "{0}");

    /// <summary>DURABLE2004.</summary>
    public static readonly DiagnosticDescriptor UnknownChild = Warn(
        "SFLOW0023", Calls, "Child workflow not found",
        "{0}");

    /// <summary>DURABLE2001.</summary>
    public static readonly DiagnosticDescriptor ArgumentMismatch = Warn(
        "SFLOW0024", Calls, "Arguments do not fit the activity or child workflow",
        "{0}");

    /// <summary>DURABLE2002.</summary>
    public static readonly DiagnosticDescriptor ResultMismatch = Warn(
        "SFLOW0025", Calls, "Result type does not fit the activity or child workflow",
        "{0}");

    private static DiagnosticDescriptor Warn(string id, string category, string title, string message) =>
        new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());

    private static DiagnosticDescriptor Error(string id, string category, string title, string message) =>
        new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());
}
