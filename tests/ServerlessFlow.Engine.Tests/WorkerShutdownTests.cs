using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Runtime;

namespace ServerlessFlow.Engine.Tests;

public abstract class WorkerShutdownTests : EngineSuite
{
    [Fact]
    public async Task Stop_TaskInFlight_MessageHandedBackAtOnceNotAfterItsLease()
    {
        var handler = new HoldsUntilStopped();
        var (backend, queue) = await StoppedWhileHandlingAsync(handler, handler.Received.Task, "held-at-shutdown");

        // Handed back, not left hidden for the five minutes of its lease: another worker can take it now.
        var again = await Eventually.WaitAsync(() => backend.Queues.ReceiveAsync(queue, 1, TimeSpan.FromMinutes(1), CancellationToken.None), r => r.Count == 1);
        Assert.Contains("held-at-shutdown", again[0].Body, StringComparison.Ordinal);
        Assert.Equal(2, again[0].DequeueCount);
        Assert.Equal(1, TaskMessage.TryParse(again[0].Body)?.SettledDeliveries); // handed back, so not counted as a delivery that never ended
    }

    [Fact]
    public async Task Stop_HandlerWindingDown_WorkerReturnsOnlyOnceItEndedAndItsMessageIsBack()
    {
        var handler = new WindsDownWhenStopped();
        var (backend, queue) = await StoppedWhileHandlingAsync(handler, handler.Received.Task, "winding-down");

        // Drained, not abandoned: by the time the worker returned, its handler had ended and the message had been handed back.
        Assert.True(handler.Ended);
        var again = await backend.Queues.ReceiveAsync(queue, 1, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Contains("winding-down", Assert.Single(again).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_HandlerSpendsTheWholeWindDownBudget_ItsMessagePutBackGetsNoSecondOneAndNothingIsLeftRunning()
    {
        var handler = new SpendsTheWindDown();
        PutBackOutlastsItsDeadline? putBacks = null;
        await StoppedWhileHandlingAsync(handler, handler.Received.Task, "spends-the-wind-down", queues => putBacks = new PutBackOutlastsItsDeadline(queues));

        // One budget, counted from the stop, for the handler's writes and the put-back together: the put-back found it spent and
        // ended, before the worker returned. Given a budget of its own, it ran past the worker's drain, abandoned.
        Assert.True(putBacks!.Ended);
    }

    [Fact]
    public async Task Stop_WhileAReceiveIsInFlight_WhatStorageHandedItIsBackAtOnce()
    {
        var backend = NewBackend();
        var queue = QueueNames.Workflow("default");
        await backend.Queues.EnsureQueueAsync(queue, CancellationToken.None);
        var held = new ReceiveAnsweredAfterStop(backend.Queues, queue);
        var worker = new EngineHarness(b => b.ConfigureWorker(o => o with { MessageLease = TimeSpan.FromMinutes(5) }), backend with { Queues = held });
        try
        {
            await held.Holding.Task.WaitAsync(TimeSpan.FromSeconds(30)); // a poller's receive is on its way to storage
            await backend.Queues.SendAsync(queue, new WorkflowTaskMessage { WorkflowId = "taken-at-the-stop" }, TimeSpan.Zero, CancellationToken.None);
            await worker.StopAsync();
            held.Release.TrySetResult(); // storage now applies the receive: the message is hidden for the worker's five-minute lease
        }
        finally
        {
            await worker.DisposeAsync();
        }

        // The receive's answer was taken, not dropped with the stop, and what it named was handed back: another worker has it now.
        var again = await Eventually.WaitAsync(() => backend.Queues.ReceiveAsync(queue, 1, TimeSpan.FromMinutes(1), CancellationToken.None), r => r.Count == 1);
        Assert.Contains("taken-at-the-stop", again[0].Body, StringComparison.Ordinal);
        Assert.True(held.Answered);
    }

    [Fact]
    public async Task Stop_WhileItsQueuesAreBeingCreated_WorkerTookNothing()
    {
        var backend = NewBackend();
        var queue = QueueNames.Workflow("default");
        await backend.Queues.EnsureQueueAsync(queue, CancellationToken.None);
        await backend.Queues.SendAsync(queue, new WorkflowTaskMessage { WorkflowId = "waiting-at-start" }, TimeSpan.Zero, CancellationToken.None);
        var creating = new CreationOutlastsStop(backend.Queues, QueueNames.Activity("default"));
        var handler = new HoldsUntilStopped();
        var worker = new EngineHarness(
            b =>
            {
                b.ConfigureWorker(o => o with { MessageLease = TimeSpan.FromMinutes(5) });
                b.Services.AddSingleton<ITaskHandler>(handler);
            },
            backend with { Queues = creating });
        try
        {
            await creating.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await worker.DisposeAsync(); // stopped while its activity queue is being created
        }

        // Start-up is all or nothing: no poller ran ahead of the queue still being created (one would outlive the worker, its
        // message taken and hidden for a lease), so the message is there at once, never delivered.
        Assert.Equal(0, creating.Receives);
        Assert.False(handler.Received.Task.IsCompleted);
        var waiting = await backend.Queues.ReceiveAsync(queue, 1, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal(1, Assert.Single(waiting).DequeueCount);
    }

    /// <summary>
    /// A worker whose only handler is <paramref name="handler"/> (and whose lease outlasts the test) takes one message for
    /// <paramref name="workflowId"/>, and is stopped once the handler has it (<paramref name="received"/>); the worker has returned.
    /// Its queues are the backend's, or what <paramref name="wrap"/> makes of them.
    /// </summary>
    private async Task<(TestBackend Backend, string Queue)> StoppedWhileHandlingAsync(
        ITaskHandler handler, Task received, string workflowId, Func<ITaskQueues, ITaskQueues>? wrap = null)
    {
        var backend = NewBackend();
        var queue = QueueNames.Workflow("default");
        var worker = new EngineHarness(
            b =>
            {
                b.ConfigureWorker(o => o with { MessageLease = TimeSpan.FromMinutes(5) });
                b.Services.AddSingleton(handler);
            },
            backend with { Queues = wrap?.Invoke(backend.Queues) ?? backend.Queues });
        try
        {
            await backend.Queues.EnsureQueueAsync(queue, CancellationToken.None);
            await backend.Queues.SendAsync(queue, new WorkflowTaskMessage { WorkflowId = workflowId }, TimeSpan.Zero, CancellationToken.None);
            await received.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await worker.DisposeAsync(); // stops the worker and awaits its RunAsync
        }

        return (backend, queue);
    }

    /// <summary>Works on every message until the worker stops, then spends a moment winding down (a handler's cleanup).</summary>
    private sealed class WindsDownWhenStopped : ITaskHandler
    {
        public TaskCompletionSource Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Ended { get; private set; }

        public async Task<TaskOutcome> HandleAsync(ReceivedMessage message, CancellationToken cancellationToken)
        {
            Received.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return TaskOutcome.Completed;
            }
            finally
            {
                await Task.Delay(TimeSpan.FromMilliseconds(300), CancellationToken.None); // the cleanup takes a while
                Ended = true;
            }
        }
    }

    /// <summary>
    /// Works on every message until the worker stops, then winds down for the whole budget (a write that does not get through, as a
    /// batch's un-claim on a slow storage) and fails.
    /// </summary>
    private sealed class SpendsTheWindDown : ITaskHandler
    {
        public TaskCompletionSource Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<TaskOutcome> HandleAsync(ReceivedMessage message, CancellationToken cancellationToken)
        {
            using var windDown = new WindDown(cancellationToken);
            Received.TrySetResult();
            await Task.Delay(Timeout.Infinite, windDown.Token);
            return TaskOutcome.Completed;
        }
    }

    /// <summary>Real queues, except that putting a message back at once does not get through before its deadline; says when it ended.</summary>
    private sealed class PutBackOutlastsItsDeadline(ITaskQueues inner) : ITaskQueues
    {
        private volatile bool ended;

        public bool Ended => ended;

        public TimeSpan MaxDelay => inner.MaxDelay;

        public Task EnsureQueueAsync(string queue, CancellationToken cancellationToken) => inner.EnsureQueueAsync(queue, cancellationToken);

        public Task<ReceivedMessage> SendAsync(string queue, TaskMessage message, TimeSpan delay, CancellationToken cancellationToken) =>
            inner.SendAsync(queue, message, delay, cancellationToken);

        public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken) =>
            inner.ReceiveAsync(queue, maxMessages, visibilityTimeout, cancellationToken);

        public Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken) => inner.DeleteAsync(message, cancellationToken);

        public async Task<ReceivedMessage?> SetVisibilityAsync(ReceivedMessage message, TimeSpan delay, CancellationToken cancellationToken)
        {
            if (delay != TimeSpan.Zero)
            {
                return await inner.SetVisibilityAsync(message, delay, cancellationToken);
            }

            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return null;
            }
            finally
            {
                ended = true;
            }
        }

        public Task DeadLetterAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken) => inner.DeadLetterAsync(message, reason, cancellationToken);
    }

    /// <summary>Real queues, except that creating <paramref name="slow"/> takes until the worker stops; counts receives.</summary>
    private sealed class CreationOutlastsStop(ITaskQueues inner, string slow) : ITaskQueues
    {
        private int receives;

        /// <summary>Completes when the worker starts creating the slow queue.</summary>
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Receives => Volatile.Read(ref receives);

        public TimeSpan MaxDelay => inner.MaxDelay;

        public async Task EnsureQueueAsync(string queue, CancellationToken cancellationToken)
        {
            if (queue == slow)
            {
                Started.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            await inner.EnsureQueueAsync(queue, cancellationToken);
        }

        public Task<ReceivedMessage> SendAsync(string queue, TaskMessage message, TimeSpan delay, CancellationToken cancellationToken) =>
            inner.SendAsync(queue, message, delay, cancellationToken);

        public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref receives);
            return inner.ReceiveAsync(queue, maxMessages, visibilityTimeout, cancellationToken);
        }

        public Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken) => inner.DeleteAsync(message, cancellationToken);

        public Task<ReceivedMessage?> SetVisibilityAsync(ReceivedMessage message, TimeSpan delay, CancellationToken cancellationToken) =>
            inner.SetVisibilityAsync(message, delay, cancellationToken);

        public Task DeadLetterAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken) => inner.DeadLetterAsync(message, reason, cancellationToken);
    }

    /// <summary>
    /// Holds the first receive on one queue until released, then lets storage apply it and answers as the SDK does for a request
    /// whose token was cancelled meanwhile: storage has handed out the messages, hidden for the lease, and the answer is lost.
    /// </summary>
    private sealed class ReceiveAnsweredAfterStop(ITaskQueues inner, string heldQueue) : ITaskQueues
    {
        private int receives;

        /// <summary>Completes when the held receive is on its way.</summary>
        public TaskCompletionSource Holding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Lets the held receive reach storage.</summary>
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The held receive's answer reached the worker.</summary>
        public bool Answered { get; private set; }

        public TimeSpan MaxDelay => inner.MaxDelay;

        public Task EnsureQueueAsync(string queue, CancellationToken cancellationToken) => inner.EnsureQueueAsync(queue, cancellationToken);

        public Task<ReceivedMessage> SendAsync(string queue, TaskMessage message, TimeSpan delay, CancellationToken cancellationToken) =>
            inner.SendAsync(queue, message, delay, cancellationToken);

        public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
        {
            if (queue != heldQueue || Interlocked.Increment(ref receives) != 1)
            {
                return await inner.ReceiveAsync(queue, maxMessages, visibilityTimeout, cancellationToken);
            }

            Holding.TrySetResult();
            await Release.Task;
            var received = await inner.ReceiveAsync(queue, maxMessages, visibilityTimeout, CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            Answered = true;
            return received;
        }

        public Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken) => inner.DeleteAsync(message, cancellationToken);

        public Task<ReceivedMessage?> SetVisibilityAsync(ReceivedMessage message, TimeSpan delay, CancellationToken cancellationToken) =>
            inner.SetVisibilityAsync(message, delay, cancellationToken);

        public Task DeadLetterAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken) => inner.DeadLetterAsync(message, reason, cancellationToken);
    }

    /// <summary>Takes every message and works on it until the worker stops.</summary>
    private sealed class HoldsUntilStopped : ITaskHandler
    {
        public TaskCompletionSource Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<TaskOutcome> HandleAsync(ReceivedMessage message, CancellationToken cancellationToken)
        {
            Received.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return TaskOutcome.Completed;
        }
    }
}

public sealed class WorkerShutdownTestsInMemory : WorkerShutdownTests
{
    internal override TestBackend NewBackend() => TestBackend.InMemory();
}

[Collection(AzuriteSuite.Name)]
public sealed class WorkerShutdownTestsOnAzurite(ServerlessFlow.TestSupport.AzuriteFixture azurite) : WorkerShutdownTests
{
    internal override TestBackend NewBackend() => TestBackend.Azure(azurite);
}
