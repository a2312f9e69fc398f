using Azure.Core;
using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>
/// The schedule store conformance suite against Azure Table storage (Azurite), a fresh table per test, plus
/// writes whose answer is lost after storage applied them: the SDK re-sends them and meets their own effect.
/// </summary>
[Collection(AzuriteSuite.Name)]
public sealed class AzureScheduleStoreTests(AzuriteFixture azurite) : ScheduleStoreConformanceTests
{
    /// <summary>Every attempt the SDK makes: the first and its default three retries.</summary>
    private const int EveryAttempt = 4;

    private readonly FaultInjectionPolicy faults = new();
    private AzureStorageBackend? backend;

    protected override Task<IScheduleStore> CreateStoreAsync()
    {
        backend = AzureStorageBackend.Create(TestBackends.Options(azurite, faults));
        return Task.FromResult(backend.Schedules);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(EveryAttempt)]
    public async Task WriteScheduleAsync_InsertAnswerLostAfterApplied_ReturnsStoredRecord(int faultedAttempts)
    {
        var record = NewSchedule("ambiguous/insert#1", DateTimeOffset.UnixEpoch);
        faults.FailNext(request => request.Method == RequestMethod.Post, FaultTiming.AfterSend, faultedAttempts);

        var stored = await Store.WriteScheduleAsync(record, Ct);

        Assert.Equal(faultedAttempts, faults.Injected);
        Assert.NotNull(stored);
        Assert.Equal(stored, await Store.ReadScheduleAsync(record.ScheduleId, Ct));
        Assert.NotNull(await Store.WriteScheduleAsync(stored with { StateJson = "{}" }, Ct));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(EveryAttempt)]
    public async Task WriteScheduleAsync_ReplaceAnswerLostAfterApplied_ReturnsStoredRecord(int faultedAttempts)
    {
        var first = await InsertAsync(NewSchedule("ambiguous/replace?2"));
        faults.FailNext(request => request.Method == RequestMethod.Put, FaultTiming.AfterSend, faultedAttempts);

        var replaced = await Store.WriteScheduleAsync(first with { StateJson = "{\"label\":\"second\"}" }, Ct);

        Assert.Equal(faultedAttempts, faults.Injected);
        Assert.NotNull(replaced);
        Assert.NotEqual(first.ETag, replaced.ETag);
        Assert.Equal(replaced, await Store.ReadScheduleAsync(first.ScheduleId, Ct));
    }

    [Fact]
    public async Task WriteScheduleAsync_FailsBeforeSendOnEveryAttempt_ThrowsAndWritesNothing()
    {
        var first = await InsertAsync(NewSchedule());
        faults.FailNext(request => request.Method == RequestMethod.Put, FaultTiming.BeforeSend, EveryAttempt);

        var error = await Assert.ThrowsAsync<StoreException>(() => Store.WriteScheduleAsync(first with { StateJson = "{}" }, Ct));

        Assert.Equal(0, error.Status);
        Assert.Equal(first, await Store.ReadScheduleAsync(first.ScheduleId, Ct));
    }

    [Fact]
    public async Task WriteScheduleAsync_StateOverOneRow_ThrowsTooLargeAndWritesNothing()
    {
        var record = NewSchedule() with { StateJson = "\"" + new string('x', 600 * 1024) + "\"" };

        var error = await Assert.ThrowsAsync<StoreException>(() => Store.WriteScheduleAsync(record, Ct));

        Assert.True(error.IsTooLarge);
        Assert.Null(await Store.ReadScheduleAsync(record.ScheduleId, Ct));
    }

    [Fact]
    public async Task InitializeAsync_CreatesPrefixSchedulesTableHoldingOneRowPerSchedule()
    {
        var stored = await InsertAsync(NewSchedule("layout/é#1", DateTimeOffset.UnixEpoch));
        Assert.Equal("sfschedules", AzureStorageBackend.ScheduleTableName("sf"));
        var table = new TableClient(azurite.ConnectionString, AzureStorageBackend.ScheduleTableName(backend!.Options.Prefix));

        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: Ct))
        {
            rows.Add(row);
        }

        var only = Assert.Single(rows);
        Assert.Equal(("layout^2Fé^231", "s", stored.ScheduleId), (only.PartitionKey, only.RowKey, only.GetString("ScheduleId")));
        Assert.Equal(DateTimeOffset.UnixEpoch, only.GetDateTimeOffset("NextWakeAt"));
    }
}
