using ServerlessFlow.Engine.Backend;
using Xunit;
using static ServerlessFlow.TestSupport.VisibilityTestData;

namespace ServerlessFlow.TestSupport;

/// <summary>The write side of the visibility index, on a fresh store per test: the version rule, moves between index rows, deletes.</summary>
public abstract partial class VisibilityConformanceTests
{
    [Fact]
    public async Task UpsertAsync_OlderOrEqualVersion_Ignored()
    {
        var store = await FreshAsync();
        var current = Entry(NewId(), version: 5, WorkflowStatus.Completed, region: "eu-west");
        await store.UpsertAsync(current, Ct);

        await store.UpsertAsync(current with { Version = 3, Status = WorkflowStatus.Running, ClosedAt = null }, Ct);
        await store.UpsertAsync(current with { WorkflowType = "Other", RunId = "same-version" }, Ct);

        var listed = await ReadAllAsync(store, new WorkflowListQuery { IdPrefix = current.WorkflowId }, "one ID");
        Assert.Equal(Canonical(current), Canonical(Assert.Single(listed)));
        Assert.Empty((await store.QueryAsync(new WorkflowListQuery { Status = WorkflowStatus.Running }, Ct)).Items);
        Assert.Empty((await store.QueryAsync(new WorkflowListQuery { WorkflowType = "Other" }, Ct)).Items);
    }

    [Fact]
    public async Task UpsertAsync_HigherVersion_ReplacesAndLeavesNoStaleIndexRow()
    {
        var store = await FreshAsync();
        var id = NewId();
        var open = Entry(id, version: 1, WorkflowStatus.Running, region: "eu-west", type: "First");
        await store.UpsertAsync(open, Ct);
        var closed = Entry(id, version: 2, WorkflowStatus.Failed, region: "us/east#1", type: "Second");

        await store.UpsertAsync(closed, Ct);

        Assert.Empty(await ReadAllAsync(store, new WorkflowListQuery { Status = WorkflowStatus.Running }, "old status"));
        Assert.Empty(await ReadAllAsync(store, new WorkflowListQuery { WorkflowType = "First" }, "old type"));
        Assert.Empty(await ReadAllAsync(store, new WorkflowListQuery { SearchAttributes = [new(Region, SearchAttributeOperator.Eq, "eu-west")] }, "old region"));
        foreach (var query in new WorkflowListQuery[]
        {
            new(), new() { Status = WorkflowStatus.Failed }, new() { WorkflowType = "Second", Status = WorkflowStatus.Failed },
            new() { SearchAttributes = [new(Region, SearchAttributeOperator.Eq, "us/east#1")] },
        })
        {
            Assert.Equal(Canonical(closed), Canonical(Assert.Single(await ReadAllAsync(store, query, "new entry"))));
        }

        Assert.Equal(id, Assert.Single(await store.FindClosedBeforeAsync(DateTimeOffset.MaxValue, 10, Ct)).WorkflowId);
        await store.UpsertAsync(Entry(id, version: 3, WorkflowStatus.Running, region: null, type: "Third"), Ct);
        Assert.Empty(await store.FindClosedBeforeAsync(DateTimeOffset.MaxValue, 10, Ct));
        Assert.Empty(await ReadAllAsync(store, new WorkflowListQuery { SearchAttributes = [new(Region, SearchAttributeOperator.Eq, "us/east#1")] }, "removed attribute"));
    }

    [Fact]
    public async Task UpsertAsync_ConcurrentWritersOfOneId_HighestVersionWins()
    {
        var store = await FreshAsync();
        var id = NewId();
        var statuses = new[] { WorkflowStatus.Running, WorkflowStatus.Completed, WorkflowStatus.Failed, WorkflowStatus.Terminated };
        var entries = statuses.Select((status, i) => Entry(id, version: 10 + i, status, region: $"r{i}", type: $"T{i}")).ToList();

        await Task.WhenAll(entries.AsEnumerable().Reverse().Select(entry => store.UpsertAsync(entry, Ct)));

        var all = await ReadAllAsync(store, new WorkflowListQuery(), "all");
        Assert.Equal(Canonical(entries[^1]), Canonical(Assert.Single(all)));
        foreach (var stale in entries.SkipLast(1))
        {
            Assert.Empty((await store.QueryAsync(new WorkflowListQuery { Status = stale.Status }, Ct)).Items);
            Assert.Empty((await store.QueryAsync(new WorkflowListQuery { WorkflowType = stale.WorkflowType }, Ct)).Items);
        }
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(5, false)]
    [InlineData(6, false)]
    public async Task DeleteAsync_MaxVersion_RemovesOnlyEntriesNotNewer(long maxVersion, bool kept)
    {
        var store = await FreshAsync();
        var entry = Entry(NewId(), version: 5, WorkflowStatus.Completed, region: "eu-west");
        var other = Entry(NewId(), version: 1, WorkflowStatus.Completed, region: "eu-west");
        await store.UpsertAsync(entry, Ct);
        await store.UpsertAsync(other, Ct);

        await store.DeleteAsync(entry.WorkflowId, maxVersion, Ct);
        await store.DeleteAsync(NewId(), long.MaxValue, Ct);

        var expected = kept ? new[] { entry, other } : [other];
        var listings = new[]
        {
            await ReadAllAsync(store, new WorkflowListQuery(), "all"),
            await ReadAllAsync(store, new WorkflowListQuery { Status = WorkflowStatus.Completed }, "by status"),
            await ReadAllAsync(store, new WorkflowListQuery { SearchAttributes = [new(Region, SearchAttributeOperator.Eq, "eu-west")] }, "by region"),
            (await store.FindClosedBeforeAsync(DateTimeOffset.MaxValue, 10, Ct)).ToList(),
        };
        Assert.All(listings, listing => Assert.Equal(expected.Select(e => e.WorkflowId).Order(StringComparer.Ordinal), listing.Select(e => e.WorkflowId).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task FindClosedBeforeAsync_MixOfOpenAndClosed_ExactlyClosedBeforeCutoffOldestFirstBoundedByMax()
    {
        var store = await FreshAsync();
        var cutoff = Epoch.AddDays(10);
        double[] closedAfterDays = [9.5, 1.0, 10.0, 3.0, 12.0, 5.0];
        var entries = closedAfterDays
            .Select(days => Entry(NewId(), version: 1, WorkflowStatus.Completed, region: null) with { ClosedAt = Epoch.AddDays(days) })
            .Append(Entry(NewId(), version: 1, WorkflowStatus.Running, region: null))
            .ToList();
        foreach (var entry in entries)
        {
            await store.UpsertAsync(entry, Ct);
        }

        var all = await store.FindClosedBeforeAsync(cutoff, 100, Ct);
        var first = await store.FindClosedBeforeAsync(cutoff, 2, Ct);

        Assert.Equal([1.0, 3.0, 5.0, 9.5], all.Select(e => (e.ClosedAt!.Value - Epoch).TotalDays));
        Assert.Equal([1.0, 3.0], first.Select(e => (e.ClosedAt!.Value - Epoch).TotalDays));
        Assert.Empty(await store.FindClosedBeforeAsync(cutoff, 0, Ct));
    }

    [Fact]
    public async Task UpsertAsync_AttributeValuesOfEveryType_ReadBackTyped()
    {
        var store = await FreshAsync();
        var due = new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)).AddTicks(1234567);
        var entry = Entry(NewId(), version: 1, WorkflowStatus.Running, region: "x") with
        {
            SearchAttributes = new Dictionary<string, object>
            {
                [Region] = "ä/#?", [Amount] = 42, [Score] = -0.5, [Vip] = false, [DueAt] = due, ["Long"] = long.MaxValue,
            },
        };

        await store.UpsertAsync(entry, Ct);

        var read = Assert.Single((await store.QueryAsync(new WorkflowListQuery { SearchAttributes = [new(Amount, SearchAttributeOperator.Eq, 42L)] }, Ct)).Items);
        Assert.Equal("ä/#?", read.SearchAttributes[Region]);
        Assert.Equal(42L, read.SearchAttributes[Amount]);
        Assert.Equal(-0.5, read.SearchAttributes[Score]);
        Assert.Equal(false, read.SearchAttributes[Vip]);
        Assert.Equal(long.MaxValue, read.SearchAttributes["Long"]);
        Assert.Equal(due.UtcTicks, Assert.IsType<DateTimeOffset>(read.SearchAttributes[DueAt]).UtcTicks);
        Assert.Single((await store.QueryAsync(new WorkflowListQuery { SearchAttributes = [new(DueAt, SearchAttributeOperator.Eq, due.UtcDateTime)] }, Ct)).Items);
    }

    private static string NewId() => "vis/" + Guid.NewGuid().ToString("N");

    private static VisibilityRecord Entry(string id, long version, WorkflowStatus status, string? region, string type = "Orders")
    {
        var started = Epoch.AddMinutes(version);
        return new VisibilityRecord
        {
            WorkflowId = id,
            RunId = "run-" + version,
            WorkflowType = type,
            TaskQueue = "default",
            Status = status,
            StartedAt = started,
            ClosedAt = status == WorkflowStatus.Running ? null : started.AddMinutes(1),
            HistoryLength = version * 3,
            Version = version,
            SearchAttributes = region is null ? new Dictionary<string, object>() : new Dictionary<string, object> { [Region] = region, [Amount] = version },
        };
    }
}
