using System.CommandLine;
using System.Text.Json;
using ServerlessFlow.Cli.Api;
using ServerlessFlow.Cli.Output;

namespace ServerlessFlow.Cli;

/// <summary>What a running command needs: the API client, the output format and the two writers.</summary>
internal sealed class CliContext(ApiClient api, OutputFormat format, TextWriter output, TextWriter error) : IDisposable
{
    /// <summary>The API.</summary>
    public ApiClient Api { get; } = api;

    /// <summary>How to print.</summary>
    public OutputFormat Format { get; } = format;

    /// <summary>Standard output.</summary>
    public TextWriter Output { get; } = output;

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>Prints <paramref name="body"/> as JSON, or calls <paramref name="table"/> to print it for a person.</summary>
    public void Print(JsonElement body, Action<JsonElement, TextWriter> table)
    {
        if (Format == OutputFormat.Json)
        {
            Output.WriteLine(JsonText.Pretty(body));
        }
        else
        {
            table(body, Output);
        }
    }

    /// <summary>Prints an object's members as NAME and VALUE rows (the generic table of one resource).</summary>
    public void Print(JsonElement body) => Print(body, Fields.Write);

    /// <inheritdoc />
    public void Dispose() => Api.Dispose();

    /// <summary>Runs <paramref name="command"/> with a context made from the parsed global options, mapping failures to exit codes.</summary>
    public static async Task<int> RunAsync(ParseResult parse, GlobalOptions globals, Func<CliContext, Task> command, CancellationToken cancellation)
    {
        var invocation = parse.InvocationConfiguration;
        var address = parse.GetRequiredValue(globals.Address);
        using var context = new CliContext(new ApiClient(address, parse.GetValue(globals.Key)), parse.GetValue(globals.Output), invocation.Output, invocation.Error);
        try
        {
            await command(context);
            return ExitCodes.Ok;
        }
        catch (UsageException e)
        {
            await context.Error.WriteLineAsync(e.Message);
            return ExitCodes.Usage;
        }
        catch (ApiRefusedException e)
        {
            Refusals.Write(e, context.Format, context.Error);
            return ExitCodes.Refused;
        }
        catch (HttpRequestException e)
        {
            await context.Error.WriteLineAsync($"Could not reach the API at {address}: {e.Message} Is the server running? Set --address or {GlobalOptions.AddressVariable}.");
            return ExitCodes.Refused;
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync($"The API at {address} did not answer in time.");
            return ExitCodes.Refused;
        }
    }
}
