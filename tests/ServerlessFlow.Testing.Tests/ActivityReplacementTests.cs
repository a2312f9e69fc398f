using System.Collections.Concurrent;
using ServerlessFlow.Samples;

namespace ServerlessFlow.Testing.Tests;

/// <summary>Fakes in place of activities that touch the world, registered by activity name.</summary>
public sealed class ActivityReplacementTests
{
    [Fact]
    public async Task ReplaceActivity_FakeForSend_RunsInsteadOfTheRealActivity()
    {
        var sent = new ConcurrentQueue<string>();
        await using var env = await WorkflowTestEnvironment.StartAsync(flow => flow
            .AddWorkflow<OnboardingWorkflow>()
            .AddActivities<EmailActivities>()
            .ReplaceActivity("Send", (string email, string template) =>
            {
                sent.Enqueue($"{template} to {email}");
                return Task.FromResult("faked");
            }));

        var result = await env.Client.ExecuteWorkflowAsync((OnboardingWorkflow wf) => wf.RunAsync(new NewUser("u5", "u5@example.com")), new StartWorkflowOptions());

        Assert.Equal("win-back offer sent", result);
        Assert.Equal(["welcome to u5@example.com", "nudge to u5@example.com", "win-back offer to u5@example.com"], sent);
    }

    [Fact]
    public async Task ReplaceActivity_FakeThatFails_WorkflowCompensates()
    {
        await using var env = await WorkflowTestEnvironment.StartAsync(flow => flow
            .AddWorkflow<OrderWorkflow>()
            .AddActivities<OrderActivities>()
            .ReplaceActivity("Ship", (Order order) => Task.FromException<string>(new ApplicationFailureException($"no truck for {order.OrderId}", "NoTruck", nonRetryable: true))));

        var handle = await env.Client.StartWorkflowAsync((OrderWorkflow wf) => wf.RunAsync(new Order("o-9", 25m, "sku-9")), new StartWorkflowOptions());
        var result = await handle.GetResultAsync();

        Assert.Equal("Compensated", result.Status);
        Assert.Equal("no truck for o-9", result.Error);
        var scheduled = (await handle.GetHistoryAsync()).Events.OfType<History.ActivityScheduled>().Select(a => a.ActivityName).ToList();
        Assert.Contains("RefundPayment", scheduled);
    }
}
