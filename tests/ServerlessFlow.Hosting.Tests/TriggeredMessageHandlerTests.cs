using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessFlow.Engine;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Hosting.Configuration;
using ServerlessFlow.Hosting.Messaging;

namespace ServerlessFlow.Hosting.Tests;

public sealed class TriggeredMessageHandlerTests
{
    private static readonly TaskQueueBindings Bindings = new("wf-default", "act-default");

    private readonly RecordingQueues queues = new();

    [Fact]
    public async Task Handle_Completed_LeavesTheMessageToTheTrigger()
    {
        var handler = Create(TaskOutcome.Completed, out var engine);

        await handler.HandleWorkflowMessageAsync(Message(Body("wf-1")), CancellationToken.None);

        Assert.Equal("wf-default", Assert.Single(engine.Received).Queue);
        Assert.Empty(queues.Sent);
        Assert.Empty(queues.DeadLettered);
    }

    [Fact]
    public async Task Handle_RetryAfter_SendsADelayedCopyToTheSameLogicalQueue()
    {
        var handler = Create(TaskOutcome.RetryAfter(TimeSpan.FromSeconds(3)), out _);

        await handler.HandleActivityMessageAsync(Message(Body("wf-2")), CancellationToken.None);

        var (queue, message, delay) = Assert.Single(queues.Sent);
        Assert.Equal("act-default", queue);
        Assert.Equal("wf-2", Assert.IsType<WorkflowTaskMessage>(message).WorkflowId);
        Assert.Equal(TimeSpan.FromSeconds(3), delay);
    }

    [Fact]
    public async Task Handle_RetryBeyondTheQueueLimit_IsCappedAtSevenDays()
    {
        var handler = Create(TaskOutcome.RetryAfter(TimeSpan.FromDays(30)), out _);

        await handler.HandleWorkflowMessageAsync(Message(Body("wf-3")), CancellationToken.None);

        // The engine's one clamp: Azure's 7-day visibility limit less a minute of clock slack.
        Assert.Equal(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1), Assert.Single(queues.Sent).Delay);
    }

    [Fact]
    public async Task Handle_DeadLetter_MovesTheMessageWithTheReason()
    {
        var handler = Create(TaskOutcome.DeadLetter("poison"), out _);

        await handler.HandleWorkflowMessageAsync(Message(Body("wf-4")), CancellationToken.None);

        var (message, reason) = Assert.Single(queues.DeadLettered);
        Assert.Equal("poison", reason);
        Assert.Equal("wf-default", message.Queue);
        Assert.Equal("m1", message.MessageId);
        Assert.Equal("r1", message.PopReceipt);
        Assert.Empty(queues.Sent);
    }

    [Fact]
    public async Task Handle_RetryOfAnUnparsableBody_DeadLettersInstead()
    {
        var handler = Create(TaskOutcome.RetryAfter(TimeSpan.FromSeconds(1)), out _);

        await handler.HandleWorkflowMessageAsync(Message("not a task message"), CancellationToken.None);

        Assert.Empty(queues.Sent);
        Assert.Single(queues.DeadLettered);
    }

    [Fact]
    public async Task Handle_EngineThrows_PropagatesSoTheTriggerRedelivers()
    {
        var handler = new TriggeredMessageHandler(new FixedHandler(null), queues, Bindings, NullLogger<TriggeredMessageHandler>.Instance);

        await Assert.ThrowsAsync<InvalidOperationException>(() => handler.HandleWorkflowMessageAsync(Message(Body("wf-5")), CancellationToken.None));
    }

    private TriggeredMessageHandler Create(TaskOutcome outcome, out FixedHandler engine)
    {
        engine = new FixedHandler(outcome);
        return new TriggeredMessageHandler(engine, queues, Bindings, NullLogger<TriggeredMessageHandler>.Instance);
    }

    private static string Body(string workflowId) => new WorkflowTaskMessage { WorkflowId = workflowId }.ToJson();

    private static QueueMessage Message(string body) =>
        QueuesModelFactory.QueueMessage("m1", "r1", BinaryData.FromString(body), dequeueCount: 2);

    internal sealed class FixedHandler(TaskOutcome? outcome) : ITaskHandler
    {
        public List<ReceivedMessage> Received { get; } = [];

        public Task<TaskOutcome> HandleAsync(ReceivedMessage message, CancellationToken cancellationToken)
        {
            Received.Add(message);
            return outcome is null ? throw new InvalidOperationException("engine fault") : Task.FromResult(outcome);
        }
    }

    private sealed class RecordingQueues : ITaskQueues
    {
        public List<(string Queue, TaskMessage Message, TimeSpan Delay)> Sent { get; } = [];

        public List<(ReceivedMessage Message, string Reason)> DeadLettered { get; } = [];

        public TimeSpan MaxDelay => TimeSpan.FromDays(7);

        public Task EnsureQueueAsync(string queue, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<ReceivedMessage> SendAsync(string queue, TaskMessage message, TimeSpan delay, CancellationToken cancellationToken)
        {
            Sent.Add((queue, message, delay));
            return Task.FromResult(new ReceivedMessage(queue, $"m{Sent.Count}", "receipt", message.ToJson(), 0));
        }

        public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken) =>
            throw new NotSupportedException("Triggered hosts never receive.");

        public Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The trigger deletes.");

        public Task<ReceivedMessage?> SetVisibilityAsync(ReceivedMessage message, TimeSpan delay, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The trigger owns visibility.");

        public Task DeadLetterAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken)
        {
            DeadLettered.Add((message, reason));
            return Task.CompletedTask;
        }
    }
}
