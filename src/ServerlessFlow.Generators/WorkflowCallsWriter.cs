using System.Collections.Generic;
using System.Linq;

namespace ServerlessFlow.Generators;

/// <summary>
/// Writes <c>{Class}Calls</c> for a workflow: starting it from a client (<c>client.StartOrderWorkflowAsync(order, options)</c>),
/// running it as a child or continuing as new from workflow code, and its signals, queries and updates as extension
/// methods of its typed handle (<c>handle.SignalDecideAsync(decision)</c>). Each call passes the registered name and the
/// arguments as given: no lambda to read, nothing compiled at run time.
/// </summary>
internal static class WorkflowCallsWriter
{
    private const string Client = "global::ServerlessFlow.IWorkflowClient";
    private const string Tail = ", global::System.Threading.CancellationToken cancellationToken = default)";

    public static string Write(WorkflowClass workflow)
    {
        var handle = $"global::ServerlessFlow.WorkflowHandle<{workflow.FullType}>";
        var typedHandle = workflow.ResultType is { } r ? $"global::ServerlessFlow.WorkflowHandle<{workflow.FullType}, {r}>" : handle;
        var input = SourceText.Arguments(workflow.Input is { } p ? [p] : [], "client", "options", "cancellationToken");
        var inputValue = input.Count == 1 ? input[0].Declared : "null";
        var lines = new List<string>
        {
            $"/// <summary>Typed calls of the workflow <see cref=\"{workflow.FullType}\"/> (generated): names and types are checked by the compiler.</summary>",
            SourceText.GeneratedCode,
            $"{workflow.Placement.Accessibility} static partial class {workflow.ClassName}Calls",
            "{",
            "    /// <summary>The workflow type name it is registered and started under.</summary>",
            $"    public const string WorkflowType = {SourceText.Literal(workflow.TypeName)};",
            "",
            "    /// <summary>Starts the workflow; returns a typed handle at once.</summary>",
            $"    public static async {SourceText.Task}<{typedHandle}> Start{workflow.ClassName}Async(this {Client} client, {SourceText.Declare(input)}global::ServerlessFlow.StartWorkflowOptions options{Tail}",
            "    {",
            $"        var started = await client.StartWorkflowAsync(WorkflowType, {inputValue}, options, cancellationToken);",
            $"        return global::ServerlessFlow.WorkflowClientExtensions.GetWorkflowHandle<{workflow.FullType}{(workflow.ResultType is { } r1 ? ", " + r1 : "")}>(client, started);",
            "    }",
            "",
            "    /// <summary>Starts the workflow and waits for it to complete; throws <see cref=\"global::ServerlessFlow.WorkflowFailedException\"/> if it did not.</summary>",
            $"    public static async {Result(workflow.ResultType)} Execute{workflow.ClassName}Async(this {Client} client, {SourceText.Declare(input)}global::ServerlessFlow.StartWorkflowOptions options{Tail}",
            "    {",
            $"        var handle = await Start{workflow.ClassName}Async(client, {string.Concat(input.Select(a => a.Declared + ", "))}options, cancellationToken);",
            $"        {(workflow.ResultType is null ? "" : "return ")}await handle.GetResultAsync(cancellationToken);",
            "    }",
            "",
            "    /// <summary>From workflow code: runs the workflow as a child (its own ID and history) and returns its result.</summary>",
            workflow.ResultType is { } childResult
                ? $"    public static async {SourceText.Task}<{childResult}> ExecuteChildAsync({SourceText.Declare(input)}global::ServerlessFlow.ChildWorkflowOptions? options = null) =>\n        (await {SourceText.Workflow}.ExecuteChildWorkflowAsync<{childResult}>(WorkflowType, {inputValue}, options))!;"
                : $"    public static {SourceText.Task} ExecuteChildAsync({SourceText.Declare(input)}global::ServerlessFlow.ChildWorkflowOptions? options = null) =>\n        {SourceText.Workflow}.ExecuteChildWorkflowAsync<{SourceText.NoResult}>(WorkflowType, {inputValue}, options);",
            "",
            "    /// <summary>From this workflow's code: the exception that, thrown from the run method, continues as a new run with this input.</summary>",
            $"    public static global::ServerlessFlow.ContinueAsNewException ContinueAsNew({string.Join(", ", input.Select(a => $"{a.Type} {a.Declared}"))}) =>",
            $"        {SourceText.Workflow}.CreateContinueAsNewException((object?){inputValue});",
        };

        foreach (var handler in workflow.Handlers)
        {
            lines.Add("");
            lines.AddRange(HandlerStub(handler, handle));
        }

        lines.Add("}");
        return SourceText.File($"the workflow {workflow.ClassName}", workflow.Placement.Namespace, Indent(string.Join("\n", lines)));
    }

    private static string Result(string? resultType) => resultType is null ? SourceText.Task : $"{SourceText.Task}<{resultType}>";

    private static IEnumerable<string> HandlerStub(Handler handler, string handle)
    {
        var argument = SourceText.Arguments(handler.Argument is { } p ? [p] : [], "handle", "requestId", "updateId", "cancellationToken");
        var value = argument.Count == 1 ? argument[0].Declared : "null";
        var name = SourceText.Literal(handler.RegisteredName);
        var described = SourceText.Xml(handler.RegisteredName);
        switch (handler.Kind)
        {
            case HandlerKind.Signal:
                yield return $"    /// <summary>Sends the signal \"{described}\". A repeated <paramref name=\"requestId\"/> is a no-op.</summary>";
                yield return $"    public static {SourceText.Task} Signal{handler.StubName}Async(this {handle} handle, {SourceText.Declare(argument)}string? requestId = null{Tail} =>";
                yield return $"        handle.Client.SignalWorkflowAsync(handle.Id, {name}, {value}, requestId, cancellationToken);";
                break;
            case HandlerKind.Query:
                yield return $"    /// <summary>Runs the query \"{described}\" and returns its typed result.</summary>";
                yield return $"    public static async {SourceText.Task}<{handler.ResultType}> Query{handler.StubName}Async(this {handle} handle, {SourceText.Declare(argument).TrimEnd(' ', ',')}{(argument.Count == 0 ? "global::System.Threading.CancellationToken cancellationToken = default)" : Tail)} =>";
                yield return $"        {SourceText.PayloadJson}.FromElement<{handler.ResultType}>(await handle.Client.QueryWorkflowAsync(handle.Id, {name}, {value}, cancellationToken))!;";
                break;
            default:
                yield return $"    /// <summary>Runs the update \"{described}\" and returns its result; a repeated <paramref name=\"updateId\"/> applies once.</summary>";
                yield return handler.ResultType is { } result
                    ? $"    public static async {SourceText.Task}<{result}> Update{handler.StubName}Async(this {handle} handle, {SourceText.Declare(argument)}string? updateId = null{Tail} =>\n" +
                      $"        {SourceText.PayloadJson}.FromElement<{result}>(await handle.Client.UpdateWorkflowAsync(handle.Id, {name}, {value}, updateId, null, cancellationToken))!;"
                    : $"    public static {SourceText.Task} Update{handler.StubName}Async(this {handle} handle, {SourceText.Declare(argument)}string? updateId = null{Tail} =>\n" +
                      $"        handle.Client.UpdateWorkflowAsync(handle.Id, {name}, {value}, updateId, null, cancellationToken);";
                break;
        }
    }

    private static string Indent(string body) =>
        string.Concat(body.Split('\n').Select(line => line.Length == 0 ? "\n" : "    " + line + "\n"));
}
