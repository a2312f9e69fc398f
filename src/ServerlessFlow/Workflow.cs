using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;

namespace ServerlessFlow;

/// <summary>
/// The API workflow code calls. Everything here is deterministic: on replay it returns what it
/// returned the first time. Use it instead of <see cref="DateTime.UtcNow"/>, <see cref="Guid.NewGuid"/>,
/// <see cref="System.Random"/>, <see cref="Task.Delay(TimeSpan)"/> and direct I/O, which would differ on replay.
/// </summary>
public static class Workflow
{
    /// <summary>True when the calling code runs inside a workflow.</summary>
    public static bool InWorkflow => TaskScheduler.Current is IWorkflowContextProvider;

    /// <summary>Facts about the running workflow.</summary>
    public static WorkflowInfo Info => Context.Info;

    /// <summary>The current time: the time of the workflow task being run, the same on every replay.</summary>
    public static DateTime UtcNow => Context.UtcNow;

    /// <summary>A random number generator seeded from history.</summary>
    public static Random Random => Context.Random;

    /// <summary>True while the code re-runs recorded history (use to skip side effects such as logging).</summary>
    public static bool IsReplaying => Context.IsReplaying;

    /// <summary>
    /// A logger for workflow code that is silent while the code replays history, so each message is written once however
    /// often the workflow is replayed; every message carries the workflow ID, run ID and type in its scope.
    /// </summary>
    public static Microsoft.Extensions.Logging.ILogger Logger => Context.Logger;

    private static IWorkflowContext Context =>
        (TaskScheduler.Current as IWorkflowContextProvider)?.Context ?? throw OffScheduler();

    private static InvalidOperationException OffScheduler()
    {
        const string message = "This API works only inside workflow code. If you are in a workflow, do not leave its scheduler: " +
            "avoid Task.Run, ConfigureAwait(false) and Task.Factory.StartNew with another scheduler.";
        WorkflowThread.Executing?.ReportEscape(message);
        return new InvalidOperationException(message);
    }

    /// <summary>A GUID derived from the workflow's deterministic random numbers.</summary>
    public static Guid NewGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        Context.Random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    /// <summary>
    /// Waits durably: a timer recorded in history that survives restarts of every process. Cancelling
    /// <paramref name="cancellationToken"/> (from workflow code) cancels the timer, recorded in history too.
    /// </summary>
    public static Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken = default) =>
        delay < TimeSpan.Zero
            ? throw new ArgumentOutOfRangeException(nameof(delay), delay, "A durable timer needs a delay of zero or more.")
            : Context.DelayAsync(delay, cancellationToken);

    /// <summary>
    /// Waits until <paramref name="condition"/> is true; it is re-evaluated after every event the
    /// workflow handles, with no polling. Returns false if <paramref name="timeout"/> passed first.
    /// </summary>
    public static Task<bool> WaitConditionAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return Context.WaitConditionAsync(condition, timeout);
    }

    /// <summary>
    /// Versions a change: true for runs that reach this point on the new code (a marker is recorded),
    /// false for runs whose history was recorded before the change. Keep both branches until no run
    /// from before the change is open, then call <see cref="DeprecatePatch"/> and keep only the new one.
    /// </summary>
    public static bool Patched(string patchId)
    {
        ArgumentException.ThrowIfNullOrEmpty(patchId);
        return Context.Patched(patchId, deprecated: false);
    }

    /// <summary>Marks a patch whose old branch has been removed: replays histories with or without its marker.</summary>
    public static void DeprecatePatch(string patchId)
    {
        ArgumentException.ThrowIfNullOrEmpty(patchId);
        Context.Patched(patchId, deprecated: true);
    }

    /// <summary>True once cancellation of this workflow has been requested.</summary>
    public static bool IsCancellationRequested => Context.IsCancellationRequested;

    /// <summary>This run's search attributes as the workflow sees them now: those it started with and its own upserts.</summary>
    public static IReadOnlyDictionary<string, System.Text.Json.JsonElement> SearchAttributes => Context.SearchAttributes;

    /// <summary>
    /// Sets (or, with a null value, removes) search attributes of this workflow, so that listings can find it by
    /// them (for example the step it is on). Recorded in history; the visibility index follows within milliseconds.
    /// </summary>
    /// <exception cref="InvalidWorkflowRequestException">A name is not registered (AddSearchAttribute), a value is not of its type, or the workflow would have more than 20.</exception>
    public static void UpsertSearchAttributes(IReadOnlyDictionary<string, object?> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        Context.UpsertSearchAttributes(changes);
    }

    /// <summary>
    /// Creates the exception that, thrown from the run method (<c>throw Workflow.CreateContinueAsNewException(state)</c>),
    /// ends this run and starts a new run of the same workflow with the same ID, a fresh history and
    /// <paramref name="input"/>. Use it to keep long-lived workflows' histories small.
    /// </summary>
    public static ContinueAsNewException CreateContinueAsNewException(object? input) => new(input);

    /// <summary>
    /// Creates the continue-as-new exception from a call of this workflow's run method, checked at compile time:
    /// <c>throw Workflow.CreateContinueAsNewException((Loop wf) =&gt; wf.RunAsync(next))</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The lambda does not call the [WorkflowRun] method of this workflow's type.</exception>
    public static ContinueAsNewException CreateContinueAsNewException<TWorkflow>(Expression<Func<TWorkflow, Task>> run)
    {
        var (type, input) = ChildCall.Parse(run);
        return type == Info.WorkflowType
            ? new ContinueAsNewException(input)
            : throw new ArgumentException($"A run continues as a new run of its own type '{Info.WorkflowType}', not of '{type}'.", nameof(run));
    }

    /// <summary>True when the history is long enough that the workflow should continue as new.</summary>
    public static bool ContinueAsNewSuggested => Context.ContinueAsNewSuggested;

    /// <summary>
    /// Runs a child workflow — its own ID and history — and returns its result: <c>await Workflow.ExecuteChildWorkflowAsync((Shipment s) =&gt; s.RunAsync(order))</c>.
    /// The same as starting it (<see cref="StartChildWorkflowAsync{TWorkflow, TResult}"/>) and awaiting its result.
    /// A child that does not start or does not complete surfaces as <see cref="ChildWorkflowFailureException"/>.
    /// </summary>
    public static async Task<TResult> ExecuteChildWorkflowAsync<TWorkflow, TResult>(Expression<Func<TWorkflow, Task<TResult>>> run, ChildWorkflowOptions? options = null)
    {
        var (type, input) = ChildCall.Parse(run);
        return PayloadJson.FromElement<TResult>(await (await StartChild(type, input, options, reportStart: false)).Result)!;
    }

    /// <summary>Runs a child workflow whose run method returns nothing.</summary>
    public static async Task ExecuteChildWorkflowAsync<TWorkflow>(Expression<Func<TWorkflow, Task>> run, ChildWorkflowOptions? options = null)
    {
        var (type, input) = ChildCall.Parse(run);
        await (await StartChild(type, input, options, reportStart: false)).Result;
    }

    /// <summary>Runs a child workflow by type name.</summary>
    public static async Task<TResult?> ExecuteChildWorkflowAsync<TResult>(string workflowType, object? input, ChildWorkflowOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowType);
        return PayloadJson.FromElement<TResult>(await (await StartChild(workflowType, input, options, reportStart: false)).Result);
    }

    /// <summary>
    /// Starts a child workflow and returns its handle once the child runs: <c>var child = await Workflow.StartChildWorkflowAsync((Shipment s) =&gt; s.RunAsync(order))</c>;
    /// then <c>child.SignalAsync(…)</c>, and <c>await child.GetResultAsync()</c> when (and if) the code needs the result.
    /// </summary>
    /// <exception cref="ChildWorkflowFailureException">The child could not start (its ID is in use by an open run).</exception>
    public static async Task<ChildWorkflowHandle<TWorkflow, TResult>> StartChildWorkflowAsync<TWorkflow, TResult>(Expression<Func<TWorkflow, Task<TResult>>> run, ChildWorkflowOptions? options = null)
    {
        var (type, input) = ChildCall.Parse(run);
        var child = await StartChild(type, input, options, reportStart: true);
        return new ChildWorkflowHandle<TWorkflow, TResult>(child.Id, child.FirstExecutionRunId, child.Result);
    }

    /// <summary>Starts a child workflow whose run method returns nothing, and returns its handle once the child runs.</summary>
    /// <exception cref="ChildWorkflowFailureException">The child could not start (its ID is in use by an open run).</exception>
    public static async Task<ChildWorkflowHandle<TWorkflow>> StartChildWorkflowAsync<TWorkflow>(Expression<Func<TWorkflow, Task>> run, ChildWorkflowOptions? options = null)
    {
        var (type, input) = ChildCall.Parse(run);
        var child = await StartChild(type, input, options, reportStart: true);
        return new ChildWorkflowHandle<TWorkflow>(child.Id, child.FirstExecutionRunId, child.Result);
    }

    /// <summary>Starts a child workflow by type name and returns its handle once the child runs.</summary>
    /// <exception cref="ChildWorkflowFailureException">The child could not start (its ID is in use by an open run).</exception>
    public static async Task<ChildWorkflowHandle> StartChildWorkflowAsync(string workflowType, object? input, ChildWorkflowOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowType);
        var child = await StartChild(workflowType, input, options, reportStart: true);
        return new ChildWorkflowHandle(child.Id, child.FirstExecutionRunId, child.Result);
    }

    /// <summary>
    /// The one way a child starts. Executing a child is starting it and awaiting its result; it only skips the start report,
    /// which nothing between the two awaits could observe (the outcome completes the start too), saving a workflow task per child.
    /// </summary>
    private static Task<StartedChild> StartChild(string workflowType, object? input, ChildWorkflowOptions? options, bool reportStart) =>
        Context.StartChildWorkflowAsync(workflowType, PayloadJson.ToElement(input), options ?? new ChildWorkflowOptions(), reportStart);

    /// <summary>
    /// A handle on another workflow, to signal it or ask it to cancel from workflow code; requests are recorded in this
    /// workflow's history and delivered once. Without <paramref name="runId"/> they reach whichever run of <paramref name="workflowId"/> is current.
    /// </summary>
    public static ExternalWorkflowHandle GetExternalWorkflowHandle(string workflowId, string? runId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowId);
        return new ExternalWorkflowHandle(workflowId, runId);
    }

    /// <summary>A handle on another workflow whose signals are written as calls on its class: <c>h.SignalAsync(wf =&gt; wf.ApproveAsync(a))</c>.</summary>
    public static ExternalWorkflowHandle<TWorkflow> GetExternalWorkflowHandle<TWorkflow>(string workflowId, string? runId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowId);
        return new ExternalWorkflowHandle<TWorkflow>(workflowId, runId);
    }

    internal static Task SignalExternal(string workflowId, string? runId, string signalName, object? argument)
    {
        ArgumentException.ThrowIfNullOrEmpty(signalName);
        return Context.SignalExternalWorkflowAsync(workflowId, runId, signalName, PayloadJson.ToElement(argument));
    }

    internal static Task CancelExternal(string workflowId, string? runId) => Context.CancelExternalWorkflowAsync(workflowId, runId);

    /// <summary>Runs an activity and returns its result: <c>await Workflow.ExecuteActivityAsync((Payments p) =&gt; p.ChargeAsync(order), options)</c>.</summary>
    public static async Task<TResult> ExecuteActivityAsync<TActivities, TResult>(Expression<Func<TActivities, Task<TResult>>> call, ActivityOptions options)
    {
        var (name, args) = ActivityCall.Parse(call);
        return (await ExecuteActivityAsync<TResult>(name, args, options))!;
    }

    /// <summary>Runs an activity that returns a value synchronously.</summary>
    public static async Task<TResult> ExecuteActivityAsync<TActivities, TResult>(Expression<Func<TActivities, TResult>> call, ActivityOptions options)
    {
        var (name, args) = ActivityCall.Parse(call);
        return (await ExecuteActivityAsync<TResult>(name, args, options))!;
    }

    /// <summary>Runs an activity that returns nothing.</summary>
    public static Task ExecuteActivityAsync<TActivities>(Expression<Func<TActivities, Task>> call, ActivityOptions options)
    {
        var (name, args) = ActivityCall.Parse(call);
        return ExecuteActivityAsync<JsonElement?>(name, args, options);
    }

    /// <summary>Runs an activity by name with the given arguments.</summary>
    public static async Task<TResult?> ExecuteActivityAsync<TResult>(string activityName, IReadOnlyList<object?> args, ActivityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(args);
        options.Validate(activityName);
        var input = PayloadJson.ArrayOf(args);
        var result = await Context.ExecuteActivityAsync(activityName, input, options);
        return PayloadJson.FromElement<TResult>(result);
    }

    /// <summary>
    /// Runs a local activity and returns its result: <c>await Workflow.ExecuteLocalActivityAsync((Pricing p) =&gt; p.QuoteAsync(order), options)</c>.
    /// It runs in this worker, inside the workflow task, and its outcome is recorded as a marker in the task's commit: no queue
    /// round trip, but a crash before that commit runs it again (see <see cref="LocalActivityOptions"/>).
    /// </summary>
    /// <exception cref="ActivityFailureException">It failed for good (retries exhausted, non-retryable, or timed out).</exception>
    public static async Task<TResult> ExecuteLocalActivityAsync<TActivities, TResult>(Expression<Func<TActivities, Task<TResult>>> call, LocalActivityOptions options)
    {
        var (name, args) = ActivityCall.Parse(call);
        return (await ExecuteLocalActivityAsync<TResult>(name, args, options))!;
    }

    /// <summary>Runs a local activity that returns a value synchronously.</summary>
    public static async Task<TResult> ExecuteLocalActivityAsync<TActivities, TResult>(Expression<Func<TActivities, TResult>> call, LocalActivityOptions options)
    {
        var (name, args) = ActivityCall.Parse(call);
        return (await ExecuteLocalActivityAsync<TResult>(name, args, options))!;
    }

    /// <summary>Runs a local activity that returns nothing.</summary>
    public static Task ExecuteLocalActivityAsync<TActivities>(Expression<Func<TActivities, Task>> call, LocalActivityOptions options)
    {
        var (name, args) = ActivityCall.Parse(call);
        return ExecuteLocalActivityAsync<JsonElement?>(name, args, options);
    }

    /// <summary>Runs a local activity by name with the given arguments.</summary>
    public static async Task<TResult?> ExecuteLocalActivityAsync<TResult>(string activityName, IReadOnlyList<object?> args, LocalActivityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(args);
        options.Validate(activityName);
        var input = PayloadJson.ArrayOf(args);
        var firstCalledAt = UtcNow;
        var attempt = 1;
        while (true)
        {
            try
            {
                return PayloadJson.FromElement<TResult>(await Context.ExecuteLocalActivityAsync(activityName, input, options, attempt, firstCalledAt));
            }
            catch (LocalActivityBackoffException backoff)
            {
                // A long back-off is a durable timer, so the wait survives restarts; the next attempt runs in the task the timer wakes.
                await DelayAsync(backoff.Delay);
                attempt = backoff.NextAttempt;
            }
        }
    }
}

/// <summary>Reads an activity name and arguments from a lambda such as <c>(Payments p) =&gt; p.ChargeAsync(order)</c>.</summary>
internal static class ActivityCall
{
    public static (string Name, object?[] Args) Parse(LambdaExpression call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.Body is not MethodCallExpression { Object: ParameterExpression } method)
        {
            throw new ArgumentException("Pass a lambda that calls one activity method on its parameter, e.g. (Payments p) => p.ChargeAsync(order).", nameof(call));
        }

        var args = method.Arguments.Select(a => a.Type == typeof(CancellationToken) ? null : ArgumentValue.Of(a)).ToArray();
        var kept = method.Method.GetParameters().Select((p, i) => (p, i)).Where(x => x.p.ParameterType != typeof(CancellationToken)).Select(x => args[x.i]).ToArray();
        return (NameOf(method.Method), kept);
    }

    /// <summary>The activity name of a method: its [Activity] name, or the method name without "Async".</summary>
    public static string NameOf(MethodInfo method)
    {
        var attribute = method.GetCustomAttribute<ActivityAttribute>()
            ?? throw new ArgumentException($"Method {method.DeclaringType?.Name}.{method.Name} is not an activity: mark it with [Activity].");
        return attribute.Name ?? DefinitionNames.StripAsync(method.Name);
    }
}

/// <summary>Reads a child workflow type and input from a lambda such as <c>(Shipment s) =&gt; s.RunAsync(order)</c>.</summary>
internal static class ChildCall
{
    public static (string Type, object? Input) Parse(LambdaExpression run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Body is not MethodCallExpression { Object: ParameterExpression } call || !call.Method.IsDefined(typeof(WorkflowRunAttribute)))
        {
            throw new ArgumentException("Pass a lambda that calls the child's [WorkflowRun] method on its parameter, e.g. (Shipment s) => s.RunAsync(order).", nameof(run));
        }

        var input = call.Arguments.Count == 1 ? ArgumentValue.Of(call.Arguments[0]) : null;
        return (DefinitionNames.Workflow(call.Method.DeclaringType!), input);
    }
}

/// <summary>
/// The value of an argument in a call lambda. Arguments are almost always constants, captured variables, member chains on them,
/// conversions or <c>new</c> objects of those: they are read directly, so a call compiles nothing (on replay too); anything
/// else is interpreted. With the AppContext switch <see cref="DisallowCompilationSwitch"/> set, anything else throws instead,
/// so a test (or an AOT build) can prove its workflows compile no expression at run time.
/// </summary>
internal static class ArgumentValue
{
    /// <summary>The AppContext switch that makes an argument needing compilation throw instead of compiling.</summary>
    public const string DisallowCompilationSwitch = "ServerlessFlow.DisallowExpressionCompilation";

    public static object? Of(Expression argument) => argument switch
    {
        ConstantExpression constant => constant.Value,
        MemberExpression { Member: FieldInfo field } member => field.GetValue(member.Expression is null ? null : Of(member.Expression)),
        MemberExpression { Member: PropertyInfo property } member => property.GetValue(member.Expression is null ? null : Of(member.Expression)),
        UnaryExpression { NodeType: ExpressionType.Convert, Method: null } convert when convert.Type.IsAssignableFrom(convert.Operand.Type) => Of(convert.Operand),
        NewExpression { Constructor: { } constructor, Members: null } created => constructor.Invoke(created.Arguments.Select(Of).ToArray()),
        _ => Compile(argument),
    };

    private static object? Compile(Expression argument) =>
        AppContext.TryGetSwitch(DisallowCompilationSwitch, out var disallowed) && disallowed
            ? throw new InvalidOperationException(
                $"The argument '{argument}' is an expression that would be compiled at run time, which the AppContext switch '{DisallowCompilationSwitch}' " +
                "disallows. Compute it into a local first, or call the generated stub (XxxCalls) instead of a lambda.")
            : Expression.Lambda<Func<object?>>(Expression.Convert(argument, typeof(object))).Compile(preferInterpretation: true)();
}
