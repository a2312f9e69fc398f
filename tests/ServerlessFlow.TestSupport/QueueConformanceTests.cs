using ServerlessFlow.Engine.Backend;
using Xunit;

namespace ServerlessFlow.TestSupport;

/// <summary>
/// The behaviour every <see cref="ITaskQueues"/> must have: at-least-once delivery with visibility timeouts,
/// stale receipts treated as "gone", dead-lettering. Subclass it with a factory of isolated queues.
/// </summary>
public abstract class QueueConformanceTests : IAsyncLifetime
{
    private ITaskQueues? queues;

    /// <summary>The logical queue the tests use.</summary>
    protected static string Queue { get; } = QueueNames.Workflow(QueueNames.DefaultTaskQueue);

    /// <summary>The queues under test.</summary>
    protected ITaskQueues Queues => queues ?? throw new InvalidOperationException("The queues are created in InitializeAsync.");

    /// <summary>Cancellation token of queue calls.</summary>
    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>Creates queues no other test shares (e.g. a unique name prefix).</summary>
    protected abstract Task<ITaskQueues> CreateQueuesAsync();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        queues = await CreateQueuesAsync();
        await queues.EnsureQueueAsync(Queue, Ct);
    }

    /// <inheritdoc />
    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A workflow task message.</summary>
    protected static WorkflowTaskMessage Message(string workflowId = "w/1") => new() { WorkflowId = workflowId, RunId = "r1" };

    /// <summary>Receives exactly one message, hidden for a minute.</summary>
    protected async Task<ReceivedMessage> ReceiveOneAsync() =>
        Assert.Single(await Queues.ReceiveAsync(Queue, 32, TimeSpan.FromMinutes(1), Ct));

    [Fact]
    public async Task SendAsync_ThenReceive_DeliversTheSameMessage()
    {
        var sent = Message("w/<&>\u0001\"x\"");

        await Queues.SendAsync(Queue, sent, TimeSpan.Zero, Ct);
        var received = await ReceiveOneAsync();

        var parsed = TaskMessage.TryParse(received.Body);
        Assert.Equal(sent, parsed! with { DueAt = null });
        Assert.NotNull(parsed.DueAt); // Stamped by the queue as it sends: where the queue lag is counted from.
        Assert.Equal((Queue, 1L), (received.Queue, received.DequeueCount));
    }

    [Fact]
    public async Task DeleteAsync_HandleReturnedBySend_RemovesTheMessageBeforeItIsDelivered()
    {
        var handle = await Queues.SendAsync(Queue, Message(), TimeSpan.Zero, Ct);
        var other = await Queues.SendAsync(Queue, Message("w/2"), TimeSpan.Zero, Ct);

        await Queues.DeleteAsync(handle, Ct);

        // Both were visible at once: only the one not deleted is delivered.
        Assert.Equal((Queue, 0L), (other.Queue, other.DequeueCount));
        Assert.Equal("w/2", TaskMessage.TryParse((await ReceiveOneAsync()).Body)!.Subject);
    }

    [Fact]
    public async Task ReceiveAsync_MessageBeingHandled_IsHiddenFromOthers()
    {
        await Queues.SendAsync(Queue, Message(), TimeSpan.Zero, Ct);
        await ReceiveOneAsync();

        var again = await Queues.ReceiveAsync(Queue, 32, TimeSpan.FromMinutes(1), Ct);

        Assert.Empty(again);
    }

    [Fact]
    public async Task ReceiveAsync_MoreMessagesThanMax_ReturnsAtMostMax()
    {
        for (var i = 0; i < 5; i++)
        {
            await Queues.SendAsync(Queue, Message($"w{i}"), TimeSpan.Zero, Ct);
        }

        var received = await Queues.ReceiveAsync(Queue, 3, TimeSpan.FromMinutes(1), Ct);

        Assert.Equal(3, received.Count);
    }

    [Fact]
    public async Task DeleteAsync_CurrentReceipt_RemovesTheMessage()
    {
        await Queues.SendAsync(Queue, Message(), TimeSpan.Zero, Ct);
        var received = await ReceiveOneAsync();

        await Queues.DeleteAsync(received, Ct);

        Assert.Null(await Queues.SetVisibilityAsync(received, TimeSpan.Zero, Ct));
        Assert.Empty(await Queues.ReceiveAsync(Queue, 32, TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task DeleteAsync_StaleReceipt_IsIgnoredAndKeepsTheMessage()
    {
        await Queues.SendAsync(Queue, Message(), TimeSpan.Zero, Ct);
        var first = await ReceiveOneAsync();
        await Queues.SetVisibilityAsync(first, TimeSpan.Zero, Ct);
        var second = await ReceiveOneAsync();

        await Queues.DeleteAsync(first, Ct);

        Assert.Equal((first.MessageId, 2L), (second.MessageId, second.DequeueCount));
        Assert.NotNull(await Queues.SetVisibilityAsync(second, TimeSpan.Zero, Ct));
        Assert.Equal(first.MessageId, (await ReceiveOneAsync()).MessageId);
    }

    [Fact]
    public async Task SetVisibilityAsync_Zero_MakesTheMessageVisibleWithANewReceipt()
    {
        await Queues.SendAsync(Queue, Message(), TimeSpan.Zero, Ct);
        var received = await ReceiveOneAsync();

        var released = await Queues.SetVisibilityAsync(received, TimeSpan.Zero, Ct);

        Assert.NotNull(released);
        Assert.NotEqual(received.PopReceipt, released.PopReceipt);
        Assert.Equal(received.MessageId, (await ReceiveOneAsync()).MessageId);
    }

    [Fact]
    public async Task SetVisibilityAsync_Extension_KeepsTheMessageHiddenAndTheNewReceiptValid()
    {
        await Queues.SendAsync(Queue, Message(), TimeSpan.Zero, Ct);
        var received = await ReceiveOneAsync();

        var extended = await Queues.SetVisibilityAsync(received, TimeSpan.FromMinutes(5), Ct);

        Assert.NotNull(extended);
        Assert.Empty(await Queues.ReceiveAsync(Queue, 32, TimeSpan.FromMinutes(1), Ct));
        await Queues.DeleteAsync(extended, Ct);
        Assert.Null(await Queues.SetVisibilityAsync(extended, TimeSpan.Zero, Ct));
    }

    [Fact]
    public async Task SetVisibilityAsync_StaleReceipt_ReturnsNull()
    {
        await Queues.SendAsync(Queue, Message(), TimeSpan.Zero, Ct);
        var first = await ReceiveOneAsync();
        await Queues.SetVisibilityAsync(first, TimeSpan.FromMinutes(1), Ct);

        var stale = await Queues.SetVisibilityAsync(first, TimeSpan.Zero, Ct);

        Assert.Null(stale);
        Assert.Empty(await Queues.ReceiveAsync(Queue, 32, TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task SendAsync_WithDelay_IsNotVisibleBeforeIt()
    {
        await Queues.SendAsync(Queue, Message(), TimeSpan.FromHours(1), Ct);

        Assert.Empty(await Queues.ReceiveAsync(Queue, 32, TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task SendAsync_DelayBeyondSevenDays_IsCappedNotRejected()
    {
        await Queues.SendAsync(Queue, Message(), TimeSpan.FromDays(30), Ct);

        Assert.Empty(await Queues.ReceiveAsync(Queue, 32, TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task DeadLetterAsync_RemovesTheMessageFromItsQueue()
    {
        await Queues.SendAsync(Queue, Message(), TimeSpan.Zero, Ct);
        var received = await ReceiveOneAsync();

        await Queues.DeadLetterAsync(received, "poison: cannot be parsed", Ct);

        Assert.Null(await Queues.SetVisibilityAsync(received, TimeSpan.Zero, Ct));
        Assert.Empty(await Queues.ReceiveAsync(Queue, 32, TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task EnsureQueueAsync_Twice_IsIdempotent()
    {
        await Queues.EnsureQueueAsync(Queue, Ct);
        await Queues.SendAsync(Queue, Message(), TimeSpan.Zero, Ct);

        await Queues.EnsureQueueAsync(Queue, Ct);

        Assert.Single(await Queues.ReceiveAsync(Queue, 32, TimeSpan.FromMinutes(1), Ct));
    }
}
