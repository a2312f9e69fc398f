using ServerlessFlow.Engine.Worker;

namespace ServerlessFlow.Engine.Tests;

/// <summary>The idle poller's waits: an idle process costs the same however many task queues it serves.</summary>
public sealed class PollBackoffTests
{
    [Theory]
    [InlineData(1, 10)]
    [InlineData(3, 30)]
    [InlineData(8, 80)]
    public void CeilingFor_TaskQueuesServed_IsThePollIntervalOncePerTaskQueue(int taskQueues, int seconds)
    {
        var options = new WorkerOptions { TaskQueues = [.. Enumerable.Range(0, taskQueues).Select(i => $"q{i}")], MaxPollInterval = TimeSpan.FromSeconds(10) };

        Assert.Equal(TimeSpan.FromSeconds(seconds), PollBackoff.CeilingFor(options));
    }

    [Fact]
    public void Empty_EachEmptyReceive_QuadruplesTheWaitUpToTheCeiling()
    {
        var backoff = new PollBackoff(TimeSpan.FromSeconds(1));

        var waits = Enumerable.Range(0, 6).Select(_ => backoff.Empty().TotalMilliseconds).ToList();

        Assert.Equal([10, 40, 160, 640, 1000, 1000], waits);
    }

    [Fact]
    public void Backlog_AfterWaitsGrew_StartsOverAndFailedWaitsTheCeiling()
    {
        var backoff = new PollBackoff(TimeSpan.FromSeconds(1));
        backoff.Empty();
        backoff.Empty();

        backoff.Backlog();
        var afterBacklog = backoff.Empty();
        backoff.Failed();
        var afterFailure = backoff.Empty();

        Assert.Equal((TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1)), (afterBacklog, afterFailure));
    }
}
