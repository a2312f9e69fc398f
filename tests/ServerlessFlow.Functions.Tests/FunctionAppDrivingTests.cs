using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ServerlessFlow.Engine;
using ServerlessFlow.History;
using ServerlessFlow.Hosting.Configuration;
using ServerlessFlow.Hosting.Messaging;
using ServerlessFlow.Samples;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Functions.Tests;

/// <summary>
/// How the Function App drives workflows, on its own services (composed as Program.cs composes them) against Azurite. No
/// Functions host runs here, so nothing polls: the test plays the host's queue trigger by receiving a message and handing
/// it to <see cref="TriggeredMessageHandler"/>, as the trigger does. Work that waits for a trigger would never finish here,
/// so a workflow that completes proves its steps did not wait on queue polling.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class FunctionAppDrivingTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Start_HelloSequence_TheStartingInvocationRunsEveryStepWithNoQueueTrigger()
    {
        await using var app = await FunctionApp.StartAsync(azurite);
        var id = "seq-" + Guid.NewGuid().ToString("N");

        await app.Client.StartWorkflowAsync(nameof(HelloSequence), new HelloInput(5, 0), new StartWorkflowOptions { Id = id });
        var closed = await app.Client.WaitForCloseAsync(id, Wait);

        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal("[0,1,2,3,4]", closed.Result?.GetRawText());
        Assert.Null((await app.WorkflowQueue.ReceiveMessageAsync()).Value); // nothing was left for a trigger
        Assert.Null((await app.ActivityQueue.ReceiveMessageAsync()).Value);
    }

    [Fact]
    public async Task Start_SequenceWithShortTimer_TheStartingInvocationWaitsForTheTimerAndRunsToTheEndWithNoQueueTrigger()
    {
        await using var app = await FunctionApp.StartAsync(azurite);
        var id = "pause-" + Guid.NewGuid().ToString("N");

        await app.Client.StartWorkflowAsync(nameof(HelloSequence), new HelloInput(2, 0, PauseMs: 1000), new StartWorkflowOptions { Id = id });
        var closed = await app.Client.WaitForCloseAsync(id, Wait);

        // Nothing played the trigger: the timer fired in the process that started the run, which then ran the second step.
        Assert.Equal(WorkflowStatus.Completed, closed.Status);
        Assert.Equal("[0,1]", closed.Result?.GetRawText());
        var history = await app.Client.GetHistoryAsync(id);
        Assert.Single(history.OfType<TimerFired>());
        Assert.Equal(2, history.OfType<ActivityCompleted>().Count());

        // The timer's wake-up, sent as the safety net, is withdrawn once the timer has fired (and the run's activity check with
        // the close): the queues end empty, counting messages not yet visible, so no invocation is owed for this run.
        await Polling.UntilAsync(Wait, "the workflow queue to be empty", async () =>
            ((await app.WorkflowQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, 0));
        Assert.Equal(0, (await app.ActivityQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Start_SequenceWithTimerBeyondTheEagerBudget_TheInvocationEndsAndTheTimersMessageDrivesTheRest()
    {
        var budget = TimeSpan.FromSeconds(2);
        await using var app = await FunctionApp.StartAsync(azurite, o => o with { EagerExecutionBudget = budget });
        var id = "pause-" + Guid.NewGuid().ToString("N");

        // The timer fires three seconds after the first step, past the starting invocation's two-second budget.
        await app.Client.StartWorkflowAsync(nameof(HelloSequence), new HelloInput(2, 0, PauseMs: 3000), new StartWorkflowOptions { Id = id });

        // Play the triggers until the run closes. The first message handed over finds the timer not yet fired: the starting
        // invocation ended at its budget, and only a triggered one (woken by the timer's message, or by a first step that
        // outlasted the budget and reported through the inbox) takes the run past the timer.
        var handled = 0;
        while ((await app.Client.DescribeWorkflowAsync(id)).Status == WorkflowStatus.Running)
        {
            var (queue, message) = await Polling.UntilAsync(Wait, "a message for a trigger", async () =>
                (await app.WorkflowQueue.ReceiveMessageAsync()).Value is { } workflowTask ? (true, (app.WorkflowQueue, workflowTask))
                : (await app.ActivityQueue.ReceiveMessageAsync()).Value is { } activityTask ? (true, (app.ActivityQueue, activityTask))
                : (false, default));
            if (handled++ == 0)
            {
                Assert.DoesNotContain(await app.Client.GetHistoryAsync(id), e => e is TimerFired);
            }

            await (queue == app.WorkflowQueue
                ? app.Handler.HandleWorkflowMessageAsync(message, CancellationToken.None)
                : app.Handler.HandleActivityMessageAsync(message, CancellationToken.None));
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt); // the trigger's delete on return
        }

        var described = await app.Client.DescribeWorkflowAsync(id);
        Assert.Equal(WorkflowStatus.Completed, described.Status);
        Assert.Equal("[0,1]", described.Result?.GetRawText());
        Assert.True(handled > 0);
        await Polling.UntilAsync(Wait, "the workflow queue to be empty", async () =>
            ((await app.WorkflowQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, 0));
    }

    [Fact]
    public async Task Signal_WorkflowWaitingForIt_OneTriggeredInvocationRunsTheRestToTheEnd()
    {
        await using var app = await FunctionApp.StartAsync(azurite);
        var id = "loan-" + Guid.NewGuid().ToString("N");
        await app.Client.StartWorkflowAsync(nameof(LoanApprovalWorkflow), new LoanApplication("ada", 1000m), new StartWorkflowOptions { Id = id });
        await Polling.UntilAsync(Wait, "the loan to wait for a decision", async () =>
        {
            var status = await app.Client.QueryWorkflowAsync(id, "status", null);
            return (status?.GetString() == "awaiting-decision", 0);
        });

        await app.Client.SignalWorkflowAsync(id, "decide", new LoanDecision(true, "grace"));
        var message = await app.WorkflowQueue.ReceiveMessageAsync();
        Assert.NotNull(message.Value);
        await app.Handler.HandleWorkflowMessageAsync(message.Value, CancellationToken.None);
        await app.WorkflowQueue.DeleteMessageAsync(message.Value.MessageId, message.Value.PopReceipt); // the trigger's delete on return

        // The one invocation applied the signal, ran the payout eagerly and closed the run: nothing more to trigger.
        var described = await app.Client.DescribeWorkflowAsync(id);
        Assert.Equal(WorkflowStatus.Completed, described.Status);
        Assert.Equal("approved by grace", described.Result?.GetString());
        Assert.Null((await app.ActivityQueue.ReceiveMessageAsync()).Value);
        var history = await app.Client.GetHistoryAsync(id);
        Assert.Equal(2, history.OfType<ActivityCompleted>().Count());
    }

    /// <summary>The Function App's services with their hosted services started, on a storage prefix of their own.</summary>
    private sealed class FunctionApp : IAsyncDisposable
    {
        private readonly ServiceProvider services;
        private readonly List<IHostedService> hosted;

        private FunctionApp(ServiceProvider services, List<IHostedService> hosted, string connectionString, string prefix)
        {
            this.services = services;
            this.hosted = hosted;
            var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
            WorkflowQueue = new QueueClient(connectionString, $"{prefix}-wf-default", options);
            ActivityQueue = new QueueClient(connectionString, $"{prefix}-act-default", options);
        }

        public IWorkflowClient Client => services.GetRequiredService<IWorkflowClient>();

        public TriggeredMessageHandler Handler => services.GetRequiredService<TriggeredMessageHandler>();

        /// <summary>The storage queue the RunWorkflowTask trigger binds to.</summary>
        public QueueClient WorkflowQueue { get; }

        /// <summary>The storage queue the RunActivityTask trigger binds to.</summary>
        public QueueClient ActivityQueue { get; }

        /// <param name="azurite">The storage.</param>
        /// <param name="worker">Changes to the worker options the app's settings make, for a test that needs a setting at a scale it can wait for.</param>
        public static async Task<FunctionApp> StartAsync(AzuriteFixture azurite, Func<WorkerOptions, WorkerOptions>? worker = null)
        {
            var prefix = "f" + Guid.NewGuid().ToString("N")[..12];
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                [HostingSettingNames.StorageConnection] = azurite.ConnectionString,
                [HostingSettingNames.StoragePrefix] = prefix,
            }).Build();
            var collection = new ServiceCollection()
                .AddSingleton<IConfiguration>(configuration)
                .AddLogging()
                .AddFunctionApp(configuration);
            if (worker is not null)
            {
                var configured = (WorkerOptions)collection.Single(d => d.ServiceType == typeof(WorkerOptions)).ImplementationInstance!;
                collection.Replace(ServiceDescriptor.Singleton(worker(configured)));
            }

            var services = collection.BuildServiceProvider();
            var hosted = services.GetServices<IHostedService>().ToList();
            foreach (var service in hosted)
            {
                await service.StartAsync(CancellationToken.None);
            }

            return new FunctionApp(services, hosted, azurite.ConnectionString, prefix);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var service in hosted)
            {
                await service.StopAsync(CancellationToken.None);
            }

            await services.DisposeAsync();
        }
    }
}
