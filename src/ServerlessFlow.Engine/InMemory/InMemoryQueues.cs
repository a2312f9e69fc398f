using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.InMemory;

/// <summary>The task-queue half of <see cref="InMemoryBackend"/>: invisible-until times and pop receipts like Azure Queues.</summary>
internal sealed partial class InMemoryBackend : ITaskQueues
{
    private readonly Dictionary<string, List<QueuedMessage>> queues = new(StringComparer.Ordinal);
    private readonly List<(ReceivedMessage Message, string Reason)> deadLetters = [];

    /// <summary>Dead-lettered messages, for tests.</summary>
    public IReadOnlyList<(ReceivedMessage Message, string Reason)> DeadLetters
    {
        get
        {
            lock (gate)
            {
                return deadLetters.ToList();
            }
        }
    }

    /// <summary>The messages in a queue with when each becomes visible, for tests.</summary>
    public IReadOnlyList<(string Body, DateTimeOffset VisibleAt)> Peek(string queue)
    {
        lock (gate)
        {
            return Queue(queue).Select(m => (m.Body, m.VisibleAt)).ToList();
        }
    }

    public Task EnsureQueueAsync(string queue, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            Queue(queue);
        }

        return Task.CompletedTask;
    }

    /// <summary>Azure's limit, so that unit tests on memory meet the long waits that production re-arms.</summary>
    public TimeSpan MaxDelay => TimeSpan.FromDays(7);

    public Task<ReceivedMessage> SendAsync(string queue, TaskMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var visibleAt = time.GetUtcNow() + delay;
            var queued = new QueuedMessage(Guid.NewGuid().ToString("N"), (message with { DueAt = visibleAt }).ToJson())
            {
                VisibleAt = visibleAt, PopReceipt = Guid.NewGuid().ToString("N"),
            };
            Queue(queue).Add(queued);
            ArmDueTimer(queue, queued);
            return Task.FromResult(new ReceivedMessage(queue, queued.Id, queued.PopReceipt, queued.Body, 0));
        }
    }

    public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            var received = new List<ReceivedMessage>();
            foreach (var message in Queue(queue).Where(m => m.VisibleAt <= now).Take(maxMessages))
            {
                message.VisibleAt = now + visibilityTimeout;
                message.PopReceipt = Guid.NewGuid().ToString("N");
                message.DequeueCount++;
                ArmDueTimer(queue, message);
                received.Add(new ReceivedMessage(queue, message.Id, message.PopReceipt, message.Body, message.DequeueCount));
            }

            return Task.FromResult<IReadOnlyList<ReceivedMessage>>(received);
        }
    }

    public Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            Queue(message.Queue).RemoveAll(m => m.Id == message.MessageId && m.PopReceipt == message.PopReceipt && Disarm(m));
        }

        return Task.CompletedTask;
    }

    public Task<ReceivedMessage?> SetVisibilityAsync(ReceivedMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var stored = Queue(message.Queue).Find(m => m.Id == message.MessageId && m.PopReceipt == message.PopReceipt);
            if (stored is null)
            {
                return Task.FromResult<ReceivedMessage?>(null);
            }

            stored.VisibleAt = time.GetUtcNow() + delay;
            stored.PopReceipt = Guid.NewGuid().ToString("N");
            stored.Body = message.Body;
            ArmDueTimer(message.Queue, stored);
            return Task.FromResult<ReceivedMessage?>(message with { PopReceipt = stored.PopReceipt });
        }
    }

    public Task DeadLetterAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            deadLetters.Add((message, reason));
            Queue(message.Queue).RemoveAll(m => m.Id == message.MessageId && Disarm(m));
        }

        Diagnostics.ServerlessFlowTelemetry.CountDeadLetter(message.Queue);
        return Task.CompletedTask;
    }

    private List<QueuedMessage> Queue(string name) => queues.TryGetValue(name, out var queue) ? queue : queues[name] = [];

    private sealed record QueuedMessage(string Id, string Body)
    {
        public string Body { get; set; } = Body;

        public DateTimeOffset VisibleAt { get; set; }

        public string? PopReceipt { get; set; }

        public long DequeueCount { get; set; }

        /// <summary>Fires when <see cref="VisibleAt"/> comes, on the backend's clock, to wake the pollers.</summary>
        public ITimer? DueTimer { get; set; }
    }
}
