using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine.Backend;

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

    /// <summary>
    /// A worker whose only handler is <paramref name="handler"/> (and whose lease outlasts the test) takes one message for
    /// <paramref name="workflowId"/>, and is stopped once the handler has it (<paramref name="received"/>); the worker has returned.
    /// </summary>
    private async Task<(TestBackend Backend, string Queue)> StoppedWhileHandlingAsync(ITaskHandler handler, Task received, string workflowId)
    {
        var backend = NewBackend();
        var queue = QueueNames.Workflow("default");
        var worker = new EngineHarness(
            b =>
            {
                b.ConfigureWorker(o => o with { MessageLease = TimeSpan.FromMinutes(5) });
                b.Services.AddSingleton(handler);
            },
            backend);
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
