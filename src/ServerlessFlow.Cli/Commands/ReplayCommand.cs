using System.CommandLine;
using System.Text.Json;
using ServerlessFlow.Cli.Output;
using ServerlessFlow.Cli.Replay;
using ServerlessFlow.Engine.Replay;
using ServerlessFlow.History;

namespace ServerlessFlow.Cli.Commands;

/// <summary>
/// <c>replay --history FILE --assembly DLL</c>: replays an exported history (<c>workflow history --output json</c>)
/// against the workflow classes of a built assembly, as a worker would after deploying it. Exit 0 when the code still
/// matches history, 1 with the divergence when it does not; nothing is sent to any server.
/// </summary>
internal static class ReplayCommand
{
    /// <summary>The <c>replay</c> command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var history = new Option<FileInfo>("--history")
        {
            Description = "A history file: the body of GET /api/workflows/{id}/history (workflow history ID --output json > file.json)",
            Required = true,
        };
        var assemblies = new Option<FileInfo[]>("--assembly")
        {
            Description = "The built assembly (.dll) holding the workflow classes; repeat for several",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var workflowType = new Option<string?>("--workflow-type")
        {
            Description = "Replay with the workflow registered under this name instead of the type the history recorded (e.g. after a rename)",
        };
        var command = new Command("replay", "Replay an exported history against an assembly's workflows: exit 0 if deterministic, 1 with the divergence")
        {
            history,
            assemblies,
            workflowType,
        };
        command.SetAction((parse, cancellation) => RunAsync(
            parse.GetRequiredValue(history), parse.GetRequiredValue(assemblies), parse.GetValue(workflowType), parse.GetValue(globals.Output), parse.InvocationConfiguration, cancellation));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo file, FileInfo[] assemblies, string? workflowType, OutputFormat format, InvocationConfiguration invocation, CancellationToken cancellation)
    {
        WorkflowReplayResult result;
        try
        {
            var history = await LoadAsync(file, workflowType, cancellation);
            var replayer = new WorkflowReplayer(new WorkflowReplayerOptions { Workflows = WorkflowAssemblies.FindWorkflows(assemblies) });
            result = await replayer.ReplayAsync(history, throwOnReplayFailure: false, cancellation);
        }
        catch (UsageException e)
        {
            await invocation.Error.WriteLineAsync(e.Message);
            return ExitCodes.Usage;
        }
        catch (WorkflowDefinitionException e)
        {
            // The assembly's workflows would not register on a worker either: that is a finding, not a usage mistake.
            await invocation.Error.WriteLineAsync(e.Message);
            return ExitCodes.Refused;
        }

        var started = (WorkflowStarted)result.History.Events[0];
        if (format == OutputFormat.Json)
        {
            await invocation.Output.WriteLineAsync(JsonText.Pretty(JsonSerializer.SerializeToElement(new
            {
                workflowId = result.History.Id,
                workflowType = started.WorkflowType,
                events = result.History.Events.Count,
                deterministic = result.Succeeded,
                failure = result.ReplayFailure?.Message,
            })));
        }
        else if (result.Succeeded)
        {
            await invocation.Output.WriteLineAsync(
                $"Replayed {result.History.Events.Count} events of workflow '{result.History.Id}' ({started.WorkflowType}): the code matches history.");
        }

        if (result.ReplayFailure is { } failure)
        {
            await invocation.Error.WriteLineAsync($"Workflow '{result.History.Id}' ({started.WorkflowType}) does not replay: {failure.Message}");
            return ExitCodes.Refused;
        }

        return ExitCodes.Ok;
    }

    private static async Task<WorkflowHistory> LoadAsync(FileInfo file, string? workflowType, CancellationToken cancellation)
    {
        WorkflowHistory history;
        try
        {
            history = await WorkflowHistory.LoadAsync(file.FullName, cancellation);
        }
        catch (FileNotFoundException)
        {
            throw new UsageException($"--history '{file.FullName}' does not exist; export one with '{CliApplication.Name} workflow history ID --output json > file.json'.");
        }
        catch (JsonException e)
        {
            throw new UsageException($"--history '{file.FullName}' is not a workflow history ({e.Message}); export one with '{CliApplication.Name} workflow history ID --output json'.");
        }

        if (history.Events is not [WorkflowStarted started, ..])
        {
            throw new UsageException($"--history '{file.FullName}' does not begin with a WorkflowStarted event; export the whole history of a run.");
        }

        return workflowType is null ? history : history with { Events = [started with { WorkflowType = workflowType }, .. history.Events.Skip(1)] };
    }
}
