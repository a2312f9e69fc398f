using ServerlessFlow.Engine.Backend;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.AzureStorage.Tests;

[Collection(AzuriteSuite.Name)]
public sealed class DeadLetterTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly string Queue = QueueNames.Activity("default");
    private AzureStorageBackend backend = null!;

    public async Task InitializeAsync() => backend = await TestBackends.CreateAsync(azurite);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task DeadLetterAsync_Message_IsKeptWithBodyReasonAndDeliveries()
    {
        var received = await SendAndReceiveAsync("w/1");

        await backend.Queues.DeadLetterAsync(received, "poison: handler threw 10 times", Ct);

        var letter = await backend.DeadLetters.GetAsync(Queue, received.MessageId, Ct);
        Assert.NotNull(letter);
        Assert.Equal((received.Body, "poison: handler threw 10 times", 1L), (letter.Body, letter.Reason, letter.DequeueCount));
        Assert.Equal("w/1", TaskMessage.TryParse(letter.Body)?.Subject);
    }

    [Fact]
    public async Task RequeueAsync_DeadLetter_PutsTheBodyBackAndRemovesIt()
    {
        var received = await SendAndReceiveAsync("w/2");
        await backend.Queues.DeadLetterAsync(received, "poison", Ct);

        var requeued = await backend.DeadLetters.RequeueAsync(Queue, received.MessageId, Ct);

        Assert.True(requeued);
        var again = Assert.Single(await backend.Queues.ReceiveAsync(Queue, 32, TimeSpan.FromMinutes(1), Ct));
        Assert.Equal(received.Body, again.Body);
        Assert.Null(await backend.DeadLetters.GetAsync(Queue, received.MessageId, Ct));
        Assert.False(await backend.DeadLetters.RequeueAsync(Queue, received.MessageId, Ct));
    }

    [Fact]
    public async Task DeleteAsync_DeadLetter_RemovesItWithoutRequeueing()
    {
        var received = await SendAndReceiveAsync("w/3");
        await backend.Queues.DeadLetterAsync(received, "poison", Ct);

        Assert.True(await backend.DeadLetters.DeleteAsync(Queue, received.MessageId, Ct));

        Assert.Null(await backend.DeadLetters.GetAsync(Queue, received.MessageId, Ct));
        Assert.Empty(await backend.Queues.ReceiveAsync(Queue, 32, TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task ListAsync_PerQueueAndPaged_ReturnsEachDeadLetterOnce()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var received = await SendAndReceiveAsync($"w/{i}");
            await backend.Queues.DeadLetterAsync(received, "poison", Ct);
            ids.Add(received.MessageId);
        }

        var other = QueueNames.Workflow("default");
        await backend.Queues.SendAsync(other, new WorkflowTaskMessage { WorkflowId = "x" }, TimeSpan.Zero, Ct);
        await backend.Queues.DeadLetterAsync(Assert.Single(await backend.Queues.ReceiveAsync(other, 1, TimeSpan.FromMinutes(1), Ct)), "poison", Ct);

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await backend.DeadLetters.ListAsync(Queue, 2, token, Ct);
            seen.AddRange(page.Items.Select(l => l.MessageId));
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal(ids.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.Equal(4, (await backend.DeadLetters.ListAsync(null, 100, null, Ct)).Items.Count);
    }

    [Fact]
    public async Task ListAsync_NothingEverDeadLettered_IsEmpty()
    {
        var fresh = AzureStorageBackend.Create(TestBackends.Options(azurite));

        var page = await fresh.DeadLetters.ListAsync(null, 10, null, Ct);

        Assert.Empty(page.Items);
        Assert.Null(page.ContinuationToken);
    }

    private async Task<ReceivedMessage> SendAndReceiveAsync(string workflowId)
    {
        await backend.Queues.SendAsync(Queue, new ActivityTaskMessage { WorkflowId = workflowId, RunId = "r", ScheduledEventId = 2, Attempt = 1 }, TimeSpan.Zero, Ct);
        return Assert.Single(await backend.Queues.ReceiveAsync(Queue, 1, TimeSpan.FromMinutes(1), Ct));
    }
}
