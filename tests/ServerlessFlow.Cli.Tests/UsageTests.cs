using System.Net;
using System.Net.Sockets;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Cli.Tests;

/// <summary>Usage mistakes exit 2 without sending anything; the address and key come from options or the environment.</summary>
[Collection(DevServerGroup.Name)]
public sealed class UsageTests(DevServerFixture fixture)
{
    private readonly Cli cli = new(fixture.Server.ApiAddress);

    [Theory]
    [InlineData("workflow", "nonsense")]
    [InlineData("workflow", "describe")]
    [InlineData("workflow", "describe", "a", "--output", "yaml")]
    [InlineData("workflow")]
    [InlineData("schedule", "backfill", "s", "--start-at", "2026-01-01T00:00:00Z")]
    [InlineData("workflow", "list", "--limit", "0")]
    [InlineData("workflow", "start", "HelloSequence", "--input", "{not json")]
    [InlineData("workflow", "start", "HelloSequence", "--input", "@/no/such/file.json")]
    [InlineData("workflow", "start", "HelloSequence", "--sa", "NoEquals")]
    [InlineData("workflow", "describe", "..")]
    public async Task Run_UsageMistake_ExitsTwoWithAMessage(params string[] args)
    {
        var run = await cli.RunAsync(args);

        run.AssertExit(ExitCodes.Usage);
        Assert.NotEqual("", run.Error.Trim());
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task Run_BadAddress_ExitsTwo()
    {
        var run = await cli.RunRawAsync("--address", "not a url", "workflow", "list");

        run.AssertExit(ExitCodes.Usage);
        Assert.Contains("--address", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoServerListening_ExitsOneNamingTheAddress()
    {
        var address = new Uri($"http://127.0.0.1:{ClosedPort()}/api");

        var run = await new Cli(address).RunAsync("workflow", "list");

        run.AssertExit(ExitCodes.Refused);
        Assert.Contains(address.ToString(), run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AddressFromEnvironment_TalksToThatServer()
    {
        var id = $"cli-env-{Guid.NewGuid():N}";
        var environment = new Dictionary<string, string> { ["SERVERLESSFLOW_ADDRESS"] = fixture.Server.ApiAddress.ToString() };

        var start = await new Cli(fixture.Server.ApiAddress, environment).RunRawAsync("workflow", "start", "HelloSequence", "--id", id, "--input", """{"count":1,"delayMs":0}""");
        var describe = await fixture.Server.Client.GetAsync($"/api/workflows/{id}");

        start.AssertExit(ExitCodes.Ok);
        Assert.Equal(HttpStatusCode.OK, describe.StatusCode);
    }

    [Fact]
    public async Task Run_Help_ListsEveryCommandGroup()
    {
        var run = await cli.RunRawAsync("--help");

        run.AssertExit(ExitCodes.Ok);
        Assert.Contains("workflow", run.Output, StringComparison.Ordinal);
        Assert.Contains("schedule", run.Output, StringComparison.Ordinal);
        Assert.Contains("deadletter", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SuggestDirective_CompletesSubcommands()
    {
        // What dotnet-suggest asks the tool when the shell wants completions for "serverlessflow workflow s":
        // the command line after the tool's name, and the cursor position in it.
        var run = await cli.RunRawAsync("[suggest:10]", "workflow s");

        run.AssertExit(ExitCodes.Ok);
        var suggestions = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["show", "signal", "start", "suspend"], suggestions.Where(s => s.StartsWith('s')).Order(StringComparer.Ordinal));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
