using Microsoft.Extensions.Time.Testing;
using ServerlessFlow.Engine.Client;

namespace ServerlessFlow.Engine.Tests;

/// <summary>When a wait for a close reads the workflow again: only after a quiet interval with no commit seen here.</summary>
public sealed class FallbackReadsTests
{
    [Fact]
    public void UntilDue_CommitsSeenHereMoreOftenThanTheQuietInterval_NeverDue()
    {
        var clock = new FakeTimeProvider();
        var reads = new FallbackReads(clock, runHere: false);
        reads.CommitSeen();

        for (var i = 0; i < 10; i++)
        {
            clock.Advance(FallbackReads.QuietInterval - TimeSpan.FromMilliseconds(1));
            Assert.True(reads.UntilDue > TimeSpan.Zero);
            reads.CommitSeen();
        }

        clock.Advance(FallbackReads.QuietInterval);
        Assert.True(reads.UntilDue <= TimeSpan.Zero);
    }

    [Fact]
    public void UntilDue_NothingSeenHere_DoublesFromTheFirstIntervalToTheMax()
    {
        var clock = new FakeTimeProvider();
        var reads = new FallbackReads(clock, runHere: false);
        var intervals = new List<TimeSpan>();

        for (var i = 0; i < 7; i++)
        {
            intervals.Add(reads.UntilDue);
            clock.Advance(reads.UntilDue);
            reads.Read();
        }

        Assert.Equal([10, 20, 40, 80, 160, 250, 250], intervals.Select(t => t.TotalMilliseconds));
    }

    [Fact]
    public void UntilDue_RunHereBeforeTheWait_WaitsTheQuietIntervalAfterEachRead()
    {
        var clock = new FakeTimeProvider();
        var reads = new FallbackReads(clock, runHere: true);

        Assert.Equal(FallbackReads.QuietInterval, reads.UntilDue);
        clock.Advance(FallbackReads.QuietInterval);
        reads.Read();
        Assert.Equal(FallbackReads.QuietInterval, reads.UntilDue);
    }
}
