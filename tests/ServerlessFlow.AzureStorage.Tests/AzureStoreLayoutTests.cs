using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;
using ServerlessFlow.TestSupport;
using static ServerlessFlow.TestSupport.BackendTestData;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>What the Azure store writes and how many requests it spends, checked against the table itself.</summary>
[Collection(AzuriteSuite.Name)]
public sealed class AzureStoreLayoutTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly RequestCounter counter = new();
    private AzureStorageBackend backend = null!;
    private TableClient table = null!;

    private IWorkflowStore Store => backend.Store;

    public async Task InitializeAsync()
    {
        backend = await TestBackends.CreateAsync(azurite, counter);
        table = new TableClient(azurite.ConnectionString, AzureStorageBackend.WorkflowTableName(backend.Options.Prefix));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task LoadAsync_RowsAboveLastEventId_AreNotHistory()
    {
        var started = await StartAsync();
        var leftover = new TimerStarted { EventId = 2, FireAt = DateTimeOffset.UtcNow };
        foreach (var row in HistoryRows.Build(KeyEscaping.PartitionKey(started.WorkflowId), started.RunId, leftover, "someone-elses-commit", new StoredJson(null)))
        {
            await table.AddEntityAsync(row);
        }

        var snapshot = await Store.LoadAsync(started.WorkflowId, started.RunId, 0, Ct);
        var history = await Store.ReadHistoryAsync(started.WorkflowId, started.RunId, 0, Ct);

        Assert.Equal([1L], snapshot!.History.Select(e => e.EventId));
        Assert.Equal([1L], history.Select(e => e.EventId));
    }

    [Fact]
    public async Task LoadAsync_KnownRun_IsOneRequest()
    {
        var started = await StartAsync();
        await Store.AddInboxAsync(started.WorkflowId, Item("signal", started.RunId), Ct);
        counter.Reset();

        var snapshot = await Store.LoadAsync(started.WorkflowId, started.RunId, 0, Ct);

        Assert.Equal((1, 1), (snapshot!.History.Count, snapshot.Inbox.Count));
        Assert.Equal(1, counter.Snapshot().Total);
    }

    [Fact]
    public async Task ReadEventAsync_EventInSeveralRows_ReadsTheMainRowThenEachContinuationRowOnce()
    {
        var started = await StartAsync();
        var big = new ActivityCompleted { EventId = 2, ScheduledEventId = 1, Result = Payload(2 * 1024 * 1024, 'c'), Attempt = 1 };
        await Store.CommitAsync(Next(started, [big]), Ct);
        var main = (await table.GetEntityAsync<TableEntity>(KeyEscaping.PartitionKey(started.WorkflowId), RowKeys.History(started.RunId, 2))).Value;
        counter.Reset();

        var read = await Store.ReadEventAsync(started.WorkflowId, started.RunId, 2, Ct);

        Assert.Equal(Canonical(big), Canonical(read!));
        var parts = main.GetInt32(PayloadRows.PartsColumn);
        Assert.True(parts > 1, $"The event fits {parts} row(s); the test needs continuation rows.");
        Assert.Equal(parts, (int)counter.Snapshot().Total); // point reads, one per row: no query
    }

    [Fact]
    public async Task CommitAsync_AfterLoad_IsOneRequest()
    {
        var started = await StartAsync();
        var item = ActivityOutcome(started.RunId, 2, Json("result"));
        await Store.AddInboxAsync(started.WorkflowId, item, Ct);
        var snapshot = await Store.LoadAsync(started.WorkflowId, started.RunId, 1, Ct);
        counter.Reset();

        await Store.CommitAsync(Next(snapshot!.Instance, [item.Event], [item.Key]), Ct);

        var counts = counter.Snapshot();
        Assert.Equal(1, counts.Total);
        Assert.Equal(1, counts.ByResource["POST $batch"]);
    }

    [Fact]
    public async Task CommitAsync_InboxWrittenByAnotherProcess_IsFoundAndDeletedWhole()
    {
        var started = await StartAsync();
        var other = AzureStorageBackend.Create(backend.Options with { Policies = [] }).Store;
        var item = ActivityOutcome(started.RunId, 2, Payload(2 * 1024 * 1024));
        await other.AddInboxAsync(started.WorkflowId, item, Ct);

        var committed = await Store.CommitAsync(Next(started, [item.Event], [item.Key]), Ct);

        Assert.NotNull(committed);
        Assert.Empty(await RowKeysAsync(started.WorkflowId, RowKeys.InboxStart, RowKeys.InboxEnd));
    }

    [Fact]
    public async Task CommitAsync_InboxShapeSeenEarlierChanged_RetriesAndDeletesWhatIsThere()
    {
        var started = await StartAsync();
        var big = ActivityOutcome(started.RunId, 2, Payload(1024 * 1024));
        await Store.AddInboxAsync(started.WorkflowId, big, Ct);
        await Store.LoadAsync(started.WorkflowId, started.RunId, 1, Ct);

        // Out of band (the store's API cannot do this without changing the instance row): the item is replaced by a small one.
        var partitionKey = KeyEscaping.PartitionKey(started.WorkflowId);
        await table.DeleteEntityAsync(partitionKey, RowKeys.Inbox(big.Key));
        await table.DeleteEntityAsync(partitionKey, RowKeys.Continuation(RowKeys.Inbox(big.Key), 1));
        var small = big with { Event = new ActivityCompleted { ScheduledEventId = 2, Result = Json(1), Attempt = 1 } };
        await AzureStorageBackend.Create(backend.Options with { Policies = [] }).Store.AddInboxAsync(started.WorkflowId, small, Ct);

        var committed = await Store.CommitAsync(Next(started, [small.Event], [small.Key]), Ct);

        Assert.NotNull(committed);
        Assert.Empty(await RowKeysAsync(started.WorkflowId, RowKeys.InboxStart, RowKeys.InboxEnd));
    }

    [Fact]
    public async Task CommitAsync_BigEvent_IsSplitIntoRowsWithinTheEntityLimit()
    {
        var started = await StartAsync();
        var big = new ActivityCompleted { ScheduledEventId = 1, Result = Payload(2 * 1024 * 1024), Attempt = 1 };

        await Store.CommitAsync(Next(started, [big]), Ct);

        var rows = await RowsAsync(started.WorkflowId, RowKeys.History(started.RunId, 2), RowKeys.ContinuationEnd(RowKeys.History(started.RunId, 2)));
        Assert.Equal(4, rows.Count);
        Assert.All(rows, row => Assert.True(PayloadRows.EstimatedBatchBytes(row) < 1024 * 1024, $"row {row.RowKey} is too big"));
    }

    [Fact]
    public async Task CommitAsync_LeftoversAboveLastEventId_AreDeletedBeforeTheRewrite()
    {
        var started = await StartAsync();
        await Store.RecordTaskFailureAsync(started.WorkflowId, started.ETag!, "changes the ETag only", Ct);
        var current = (await Store.ReadInstanceAsync(started.WorkflowId, Ct))!;
        Assert.Null(await Store.CommitAsync(Next(started, Timers(300)), Ct));
        var leftovers = await RowKeysAsync(started.WorkflowId, RowKeys.History(started.RunId, 2), RowKeys.HistoryEnd(started.RunId));

        Assert.NotNull(await Store.CommitAsync(Next(current, Timers(120)), Ct));

        Assert.NotEmpty(leftovers);
        var after = await RowKeysAsync(started.WorkflowId, RowKeys.History(started.RunId, 122), RowKeys.HistoryEnd(started.RunId));
        Assert.Empty(after);
    }

    [Fact]
    public async Task CommitAsync_ActivityWithBigInput_KeepsTheInputOutOfTheActivityRow()
    {
        var started = await StartAsync();
        var scheduled = Scheduled(Payload(1024 * 1024)) with { EventId = 2 };

        await Store.CommitAsync(Next(started, [scheduled]) with { NewActivities = [Activity(started, scheduled)] }, Ct);

        var row = (await table.GetEntityAsync<TableEntity>(KeyEscaping.PartitionKey(started.WorkflowId), RowKeys.Activity(started.RunId, 2))).Value;
        Assert.True(row.GetBoolean(ActivityRows.InputInHistoryColumn));
        Assert.True(row.GetInt32(PayloadRows.SizeColumn) < ActivityRows.MaxInlineRecordBytes);
    }

    [Fact]
    public async Task ReadActivitiesAsync_LeftoverRowWhoseEventIsATimer_IsLeftOutAndTheRestRead()
    {
        var started = await StartAsync();
        var scheduled = Scheduled(Json("small")) with { EventId = 2 };
        var committed = (await Store.CommitAsync(Next(started, [scheduled, .. Timers(1)]) with { NewActivities = [Activity(started, scheduled)] }, Ct))!;

        // What a commit that lost its race leaves when it wrote an activity row with its overflow: a row at event 3, its input
        // kept in history, where the winner committed a timer.
        var lost = Scheduled(Payload(1024 * 1024)) with { EventId = 3 };
        await table.UpsertEntityAsync(ActivityRows.ToEntity(KeyEscaping.PartitionKey(started.WorkflowId), Activity(committed, lost), "lost-commit", new StoredJson(null)));

        var activities = await Store.ReadActivitiesAsync(started.WorkflowId, started.RunId, Ct);

        Assert.Equal([2L], activities.Select(a => a.ScheduledEventId));
        Assert.Null(await Store.ReadActivityAsync(started.WorkflowId, started.RunId, 3, Ct));
    }

    [Fact]
    public async Task CommitAsync_HostileWorkflowId_IsStoredUnderItsEscapedPartitionKey()
    {
        var started = await StartAsync("tenant/7#orders?x=1");

        var row = await table.GetEntityAsync<TableEntity>("tenant^2F7^23orders^3Fx=1", RowKeys.Instance);

        Assert.Equal(started.WorkflowId, row.Value.GetString(InstanceRows.WorkflowIdColumn));
    }

    [Fact]
    public async Task InstanceRow_TooMuchState_ThrowsTooLarge()
    {
        var start = StartCommit(NewWorkflowId());
        var timers = Enumerable.Range(0, 20_000).Select(i => new PendingTimer(i, DateTimeOffset.UtcNow)).ToList();

        var error = await Assert.ThrowsAsync<StoreException>(() => Store.CommitAsync(start with { Instance = start.Instance with { Timers = timers } }, Ct));

        Assert.True(error.IsTooLarge);
    }

    [Fact]
    public async Task RequestCounter_PointRead_CountsOneGetOnTheWorkflowTable()
    {
        var started = await StartAsync();
        counter.Reset();

        await Store.ReadInstanceAsync(started.WorkflowId, Ct);

        var counts = counter.Snapshot();
        Assert.Equal(1, counts.Total);
        Assert.Equal(1, counts.ByResource[$"GET {AzureStorageBackend.WorkflowTableName(backend.Options.Prefix)}"]);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(1001, null)]
    [InlineData(10, "not-a-token")]
    public async Task ListInstancesAsync_BadPageSizeOrToken_ThrowsInvalidRequest(int pageSize, string? token) =>
        await Assert.ThrowsAsync<InvalidWorkflowRequestException>(() =>
            Store.ListInstancesAsync(new InstanceQuery { PageSize = pageSize, ContinuationToken = token }, Ct));

    [Fact]
    public async Task RequestCounter_Describe_ListsTheMostFrequentFirst()
    {
        var started = await StartAsync();
        counter.Reset();

        await Store.ReadInstanceAsync(started.WorkflowId, Ct);
        await Store.ReadInstanceAsync(started.WorkflowId, Ct);
        await Store.CommitAsync(Next(started, Timers(1)), Ct);

        Assert.Equal(3, counter.Total);
        Assert.Equal($"GET {AzureStorageBackend.WorkflowTableName(backend.Options.Prefix)}: 2, POST $batch: 1", counter.Describe());
    }

    private async Task<InstanceRecord> StartAsync(string? workflowId = null) =>
        await Store.CommitAsync(StartCommit(workflowId ?? NewWorkflowId()), Ct) ?? throw new InvalidOperationException("start lost");

    private async Task<List<TableEntity>> RowsAsync(string workflowId, string from, string until)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {KeyEscaping.PartitionKey(workflowId)} and RowKey ge {from} and RowKey lt {until}");
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter))
        {
            rows.Add(row);
        }

        return rows;
    }

    private async Task<List<string>> RowKeysAsync(string workflowId, string from, string until) =>
        (await RowsAsync(workflowId, from, until)).Select(row => row.RowKey).ToList();
}
