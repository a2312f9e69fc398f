using System.CommandLine;
using ServerlessFlow.Cli.Commands;

namespace ServerlessFlow.Cli;

/// <summary>The command tree of <c>serverlessflow</c> and how an invocation maps to an exit code.</summary>
internal static class CliApplication
{
    /// <summary>The tool's command name, as installed by <c>dotnet tool install</c>.</summary>
    public const string Name = "serverlessflow";

    /// <summary>Parses <paramref name="args"/>, runs the command and returns its exit code (see <see cref="ExitCodes"/>).</summary>
    /// <param name="args">The command line.</param>
    /// <param name="invocation">Where output and errors go.</param>
    /// <param name="environment">Reads an environment variable (the address and key may come from there).</param>
    public static async Task<int> RunAsync(string[] args, InvocationConfiguration invocation, Func<string, string?> environment)
    {
        var root = BuildRoot(new GlobalOptions(environment));
        var parse = root.Parse(args);

        // System.CommandLine answers parse errors with 1, which this tool keeps for refusals: usage mistakes are 2.
        if (parse.Errors.Count > 0 && parse.Action is System.CommandLine.Invocation.ParseErrorAction)
        {
            foreach (var error in parse.Errors)
            {
                await invocation.Error.WriteLineAsync(error.Message);
            }

            await invocation.Error.WriteLineAsync($"Run '{Name} {CommandPath(parse)} --help' for usage.".Replace("  ", " ", StringComparison.Ordinal));
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(invocation);
    }

    /// <summary>Every command group of the tool.</summary>
    public static RootCommand BuildRoot(GlobalOptions globals)
    {
        var root = new RootCommand("Operate ServerlessFlow workflows, schedules and dead letters through the HTTP API, and replay exported histories.")
        {
            globals.Address,
            globals.Key,
            globals.Output,
            WorkflowCommands.Create(globals),
            ScheduleCommands.Create(globals),
            DeadLetterCommands.Create(globals),
            ReplayCommand.Create(globals),
        };

        return root;
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Insert(0, result.Command.Name);
        }

        return string.Join(' ', names);
    }
}
