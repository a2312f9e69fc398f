using System.Text.Json;
using ServerlessFlow.Engine.Backend;
using Xunit;

namespace ServerlessFlow.TestSupport;

/// <summary>
/// The behaviour every <see cref="IScheduleStore"/> must have: ETag-fenced inserts, replaces and deletes, due
/// schedules by NextWakeAt, and paging. A backend's test project subclasses it with a fresh, isolated store per test.
/// </summary>
public abstract class ScheduleStoreConformanceTests : IAsyncLifetime
{
    private IScheduleStore? store;

    /// <summary>The store under test, initialized.</summary>
    protected IScheduleStore Store => store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Cancellation token of store calls.</summary>
    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>Creates a store no other test shares (e.g. a unique table name); it is initialized by the suite.</summary>
    protected abstract Task<IScheduleStore> CreateStoreAsync();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        store = await CreateStoreAsync();
        await store.InitializeAsync(Ct);
    }

    /// <inheritdoc />
    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A schedule record never stored, with a small state naming <paramref name="label"/>.</summary>
    protected static ScheduleRecord NewSchedule(string? scheduleId = null, DateTimeOffset? nextWakeAt = null, string label = "first") => new()
    {
        ScheduleId = scheduleId ?? $"sched-{Guid.NewGuid():N}",
        StateJson = JsonSerializer.Serialize(new { label }),
        NextWakeAt = nextWakeAt,
    };

    /// <summary>Inserts and asserts the insert won.</summary>
    protected async Task<ScheduleRecord> InsertAsync(ScheduleRecord record) =>
        await Store.WriteScheduleAsync(record, Ct) ?? throw new InvalidOperationException($"Inserting new schedule '{record.ScheduleId}' lost.");

    [Theory]
    [InlineData("nightly-report")]
    [InlineData("a/b\\c#d?e%f'g+h|i^j")]
    [InlineData("日次レポート/Ежедневный-🙂")]
    public async Task WriteScheduleAsync_InsertThenRead_RoundTrips(string scheduleId)
    {
        var wake = new DateTimeOffset(2026, 5, 1, 10, 15, 30, TimeSpan.Zero).AddTicks(1234567);
        var record = NewSchedule(scheduleId, wake) with { StateJson = JsonSerializer.Serialize(new { id = scheduleId, text = "é 日本 \u0001" }) };

        var stored = await Store.WriteScheduleAsync(record, Ct);

        Assert.NotNull(stored?.ETag);
        var read = await Store.ReadScheduleAsync(scheduleId, Ct);
        Assert.Equal(stored, read);
        Assert.Equal((scheduleId, record.StateJson, wake), (read!.ScheduleId, read.StateJson, read.NextWakeAt));
    }

    [Fact]
    public async Task WriteScheduleAsync_LargeState_RoundTrips()
    {
        // Raw non-ASCII text (2 and 3 UTF-8 bytes per character): the store must keep the JSON text exactly.
        var big = "[" + string.Join(",", Enumerable.Range(0, 300 * 1024 / 17).Select(i => $"\"item-{i:D6}-ä日\"")) + "]";
        Assert.InRange(big.Length, 290 * 1024, 310 * 1024);

        var stored = await InsertAsync(NewSchedule() with { StateJson = big });

        var read = await Store.ReadScheduleAsync(stored.ScheduleId, Ct);
        Assert.Equal(big, read?.StateJson);
        Assert.Null(read?.NextWakeAt);
    }

    [Fact]
    public async Task ReadScheduleAsync_Missing_Null()
    {
        Assert.Null(await Store.ReadScheduleAsync("never-created", Ct));
    }

    [Fact]
    public async Task WriteScheduleAsync_InsertExisting_NullAndUnchanged()
    {
        var first = await InsertAsync(NewSchedule());

        var second = await Store.WriteScheduleAsync(NewSchedule(first.ScheduleId, label: "second"), Ct);

        Assert.Null(second);
        Assert.Equal(first, await Store.ReadScheduleAsync(first.ScheduleId, Ct));
    }

    [Fact]
    public async Task WriteScheduleAsync_StaleEtag_NullAndUnchanged()
    {
        var first = await InsertAsync(NewSchedule());
        var current = await Store.WriteScheduleAsync(first with { StateJson = "{\"label\":\"second\"}" }, Ct);
        Assert.NotNull(current);

        var stale = await Store.WriteScheduleAsync(first with { StateJson = "{\"label\":\"stale\"}" }, Ct);

        Assert.Null(stale);
        Assert.Equal(current, await Store.ReadScheduleAsync(first.ScheduleId, Ct));
    }

    [Fact]
    public async Task WriteScheduleAsync_CurrentEtag_ReplacesWithNewEtag()
    {
        var first = await InsertAsync(NewSchedule(nextWakeAt: DateTimeOffset.UnixEpoch));
        var wake = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

        var replaced = await Store.WriteScheduleAsync(first with { StateJson = "{\"label\":\"second\"}", NextWakeAt = wake }, Ct);

        Assert.NotNull(replaced?.ETag);
        Assert.NotEqual(first.ETag, replaced.ETag);
        var read = await Store.ReadScheduleAsync(first.ScheduleId, Ct);
        Assert.Equal(("{\"label\":\"second\"}", wake, replaced.ETag), (read?.StateJson, read?.NextWakeAt, read?.ETag));

        var cleared = await Store.WriteScheduleAsync(replaced with { NextWakeAt = null }, Ct);
        Assert.Null((await Store.ReadScheduleAsync(first.ScheduleId, Ct))?.NextWakeAt);
        Assert.Equal(cleared?.ETag, (await Store.ReadScheduleAsync(first.ScheduleId, Ct))?.ETag);
    }

    [Fact]
    public async Task WriteScheduleAsync_ReplaceDeleted_Null()
    {
        var first = await InsertAsync(NewSchedule());
        Assert.True(await Store.DeleteScheduleAsync(first.ScheduleId, first.ETag!, Ct));

        Assert.Null(await Store.WriteScheduleAsync(first with { StateJson = "{}" }, Ct));
        Assert.Null(await Store.ReadScheduleAsync(first.ScheduleId, Ct));
    }

    [Fact]
    public async Task DeleteScheduleAsync_StaleEtag_False()
    {
        var first = await InsertAsync(NewSchedule());
        var current = await Store.WriteScheduleAsync(first with { StateJson = "{}" }, Ct);

        Assert.False(await Store.DeleteScheduleAsync(first.ScheduleId, first.ETag!, Ct));

        Assert.Equal(current, await Store.ReadScheduleAsync(first.ScheduleId, Ct));
    }

    [Fact]
    public async Task DeleteScheduleAsync_CurrentEtag_TrueAndGone()
    {
        var first = await InsertAsync(NewSchedule("to/delete#?%"));

        Assert.True(await Store.DeleteScheduleAsync(first.ScheduleId, first.ETag!, Ct));

        Assert.Null(await Store.ReadScheduleAsync(first.ScheduleId, Ct));
        Assert.False(await Store.DeleteScheduleAsync(first.ScheduleId, first.ETag!, Ct));
        Assert.NotNull(await Store.WriteScheduleAsync(NewSchedule(first.ScheduleId), Ct));
    }

    [Fact]
    public async Task FindDueSchedulesAsync_PausedOrNotDue_NotReturned()
    {
        var now = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var early = await InsertAsync(NewSchedule("due-early/1", now.AddHours(-3)));
        var exactly = await InsertAsync(NewSchedule("due-exactly#2", now));
        await InsertAsync(NewSchedule("paused", nextWakeAt: null));
        await InsertAsync(NewSchedule("later", now.AddTicks(1)));
        await InsertAsync(NewSchedule("much-later", now.AddDays(30)));

        var due = await Store.FindDueSchedulesAsync(now, 100, Ct);

        Assert.Equal(new[] { early.ScheduleId, exactly.ScheduleId }.Order(StringComparer.Ordinal), due.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FindDueSchedulesAsync_MoreThanMax_ReturnsMax()
    {
        var now = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await InsertAsync(NewSchedule($"due-{i}", now.AddMinutes(-i)))).ScheduleId);
        }

        var due = await Store.FindDueSchedulesAsync(now, 3, Ct);

        Assert.Equal(3, due.Count);
        Assert.Subset(ids.ToHashSet(), due.ToHashSet());
        Assert.Empty(await Store.FindDueSchedulesAsync(now, 0, Ct));
    }

    [Fact]
    public async Task ListSchedulesAsync_PagesOfTwoOverFive_EachOnceInIdOrder()
    {
        var ids = new[] { "list-c", "list-a", "list-e", "list-b", "list-d" };
        foreach (var id in ids)
        {
            await InsertAsync(NewSchedule(id, label: id));
        }

        var seen = new List<ScheduleRecord>();
        var pages = new List<int>();
        string? token = null;
        do
        {
            var page = await Store.ListSchedulesAsync(2, token, Ct);
            pages.Add(page.Items.Count);
            seen.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null && pages.Count < 10);

        Assert.Equal([2, 2, 1], pages);
        Assert.Equal(ids.Order(StringComparer.Ordinal), seen.Select(s => s.ScheduleId));
        Assert.All(seen, s => Assert.Equal(JsonSerializer.Serialize(new { label = s.ScheduleId }), s.StateJson));
        Assert.All(seen, s => Assert.NotNull(s.ETag));
    }

    [Fact]
    public async Task ListSchedulesAsync_Empty_NoItemsNoToken()
    {
        var page = await Store.ListSchedulesAsync(10, null, Ct);

        Assert.Empty(page.Items);
        Assert.Null(page.ContinuationToken);
    }

    [Theory]
    [InlineData("not a token!")]
    [InlineData("bGlzdC1i")] // base64 of "list-b": well-formed base64, but not a token the list returned
    public async Task ListSchedulesAsync_MalformedToken_ThrowsInvalidRequest(string token)
    {
        await InsertAsync(NewSchedule("list-a"));

        var error = await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => Store.ListSchedulesAsync(2, token, Ct));

        Assert.Contains(token, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task ListSchedulesAsync_PageSizeOutOfRange_ThrowsInvalidRequest(int pageSize)
    {
        var error = await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() => Store.ListSchedulesAsync(pageSize, null, Ct));

        Assert.Contains(pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }
}
