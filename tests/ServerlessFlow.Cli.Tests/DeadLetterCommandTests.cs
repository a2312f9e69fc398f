using Azure.Storage.Queues;
using ServerlessFlow.AzureStorage;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Cli.Tests;

/// <summary><c>deadletter …</c> against the dev server, with a real poison message on its workflow queue.</summary>
[Collection(DevServerGroup.Name)]
public sealed class DeadLetterCommandTests(DevServerFixture fixture)
{
    private readonly Cli cli = new(fixture.Server.ApiAddress);

    [Fact]
    public async Task DeadLetterListReplayDelete_PoisonMessage_ListedReplayedAndDropped()
    {
        var body = $"not a task message {Guid.NewGuid():N}";
        var queue = new QueueClient(fixture.ConnectionString, AzureStorageBackend.PhysicalQueueName(fixture.Prefix, "wf-default"),
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(body);

        var first = await DeadLetterWithBodyAsync(body, except: null);
        var table = await cli.RunAsync("deadletter", "list", "--queue", "wf-default");
        var replay = await cli.JsonAsync("deadletter", "replay", first);
        var again = await DeadLetterWithBodyAsync(body, except: first);
        var replayGone = await cli.RunAsync("deadletter", "replay", first);
        var delete = await cli.RunAsync("deadletter", "delete", again);
        var deleteAgain = await cli.RunAsync("deadletter", "delete", again);
        var malformed = await cli.RunAsync("deadletter", "delete", "no-queue-part");

        table.AssertExit(ExitCodes.Ok);
        Assert.Contains(table.Output.Split('\n'), l => l.StartsWith(first, StringComparison.Ordinal) && l.Contains("not a ServerlessFlow task message", StringComparison.Ordinal));
        Assert.Equal("wf-default", replay.GetProperty("queue").GetString());
        Assert.NotEqual(first, again);
        replayGone.AssertExit(ExitCodes.Refused);
        Assert.Contains("urn:serverlessflow:problem:dead-letter-not-found", replayGone.Error, StringComparison.Ordinal);
        delete.AssertExit(ExitCodes.Ok);
        deleteAgain.AssertExit(ExitCodes.Refused);
        malformed.AssertExit(ExitCodes.Refused);
        Assert.StartsWith("400 ", malformed.Error, StringComparison.Ordinal);
    }

    private Task<string> DeadLetterWithBodyAsync(string body, string? except) =>
        Polling.UntilAsync(TimeSpan.FromSeconds(60), $"a dead letter with body '{body}'", async () =>
        {
            var listing = await cli.JsonAsync("deadletter", "list", "--queue", "wf-default", "--limit", "1000");
            var match = listing.GetProperty("items").EnumerateArray()
                .Where(l => l.GetProperty("body").GetString() == body && l.GetProperty("id").GetString() != except)
                .Select(l => l.GetProperty("id").GetString())
                .FirstOrDefault();
            return (match is not null, match!);
        });
}
