using ServerlessFlow.Engine.Execution;

namespace ServerlessFlow.Engine.Tests;

public sealed class WorkflowCodeThreadsTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private readonly WorkflowCodeThreads threads = new();

    [Fact]
    public void Run_ConsecutiveWork_ReusesADedicatedThread()
    {
        var ran = new List<(int Id, bool Pooled)>();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(threads.Run(() => ran.Add((Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread)), Limit));
        }

        Assert.All(ran, t => Assert.False(t.Pooled));
        Assert.NotEqual(Environment.CurrentManagedThreadId, ran[0].Id);
        Assert.Single(ran.Select(t => t.Id).Distinct());
    }

    [Fact]
    public void Run_WorkBlocksPastLimit_ReturnsFalseAndNeverReusesThatThread()
    {
        using var release = new ManualResetEventSlim();
        var blockedOn = 0;
        Assert.False(threads.Run(() => { blockedOn = Environment.CurrentManagedThreadId; release.Wait(); }, TimeSpan.FromMilliseconds(50)));

        var next = 0;
        Assert.True(threads.Run(() => next = Environment.CurrentManagedThreadId, Limit));
        release.Set();

        Assert.NotEqual(0, blockedOn);
        Assert.NotEqual(blockedOn, next);
    }

    [Fact]
    public void Run_WorkThrows_ThrowsTheExceptionToTheCaller()
    {
        var thrown = Assert.Throws<InvalidOperationException>(() => threads.Run(() => throw new InvalidOperationException("from workflow code"), Limit));

        Assert.Equal("from workflow code", thrown.Message);
        Assert.True(threads.Run(() => { }, Limit));
    }

    [Fact]
    public void Run_CallerHasAsyncLocalValue_WorkSeesIt()
    {
        var local = new AsyncLocal<string>();
        local.Value = "flowed";
        string? seen = null;

        Assert.True(threads.Run(() => seen = local.Value, Limit));

        Assert.Equal("flowed", seen);
    }
}
