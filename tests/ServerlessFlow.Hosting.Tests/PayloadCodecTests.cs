using System.Security.Cryptography;
using System.Text;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using ServerlessFlow.Hosting.Configuration;
using ServerlessFlow.Hosting.Http;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>
/// The payload codec on Azurite: with it, no table entity or queue message holds a known payload in plaintext while the HTTP
/// API shows every payload decoded; a worker without the key fails the task visibly; keys rotate.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class PayloadCodecTests(AzuriteFixture azurite)
{
    private const string BusyQueue = "codec-b";

    private static readonly string KeyOne = NewKey();
    private static readonly string KeyTwo = NewKey();

    [Fact]
    public async Task Codec_EveryPayloadKind_NoPlaintextInTablesOrQueuesAndApiDecodes()
    {
        var marker = "secret" + Guid.NewGuid().ToString("N");
        await using var server = await AzureApiServer.StartAsync(azurite, Codec("k1", ("k1", KeyOne)), RegisterProbes);
        var client = server.Client;
        var id = ApiCalls.NewId("codec");

        var start = await client.PostJsonAsync(
            $"/api/workflows/CodecProbeWorkflow?id={id}&envelope=true", $$$"""{"input":"input-{{{marker}}}","memo":{"owner":"memo-{{{marker}}}"}}""");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, start.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await client.PostJsonAsync($"/api/workflows/{id}/signals/note", $"\"signal-{marker}\"")).StatusCode);
        var update = await client.PostJsonAsync($"/api/workflows/{id}/updates/tag", $"\"update-{marker}\"");
        Assert.Equal($"tagged update-{marker}", (await update.JsonAsync()).GetProperty("result").GetString());
        var schedule = await client.PostJsonAsync(
            $"/api/schedules/codec-{Guid.NewGuid():N}",
            $$$"""{"spec":{"intervals":[{"every":"01:00:00"}]},"action":{"workflowType":"CodecGreetingWorkflow","input":"schedule-{{{marker}}}","memo":{"m":"schedmemo-{{{marker}}}"}},"paused":true}""");
        Assert.Equal(System.Net.HttpStatusCode.Created, schedule.StatusCode);
        Assert.Contains($"schedule-{marker}", await schedule.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The activity heartbeats until released: its details are in its row now (the describe below reads them from there).
        var running = await ApiCalls.PollAsync(
            () => client.GetStringAsync($"/api/workflows/{id}"), body => body.Contains($"heartbeat activity input-{marker}", StringComparison.Ordinal), "heartbeat details on describe");
        Assert.Contains($"memo-{marker}", running, StringComparison.Ordinal);
        await AssertNoPlaintextAsync(server, marker, id);

        CodecProbeActivities.Release(id);
        var result = await (await client.ResultAsync(id, 30)).JsonAsync();
        Assert.Equal(
            $"done input-{marker} | signal-{marker} | update-{marker} | held activity input-{marker}", result.GetProperty("result").GetString());
        var described = await client.GetStringAsync($"/api/workflows/{id}");
        Assert.Contains($"\"input\":\"input-{marker}\"", described, StringComparison.Ordinal);
        Assert.Contains($"memo-{marker}", described, StringComparison.Ordinal);
        var history = await client.GetStringAsync($"/api/workflows/{id}/history");
        Assert.Contains($"signal-{marker}", history, StringComparison.Ordinal);
        Assert.Contains($"tagged update-{marker}", history, StringComparison.Ordinal);
        await AssertNoPlaintextAsync(server, marker, id);
    }

    [Theory]
    [InlineData("other key material under the same ID", "does not decrypt with the configured key of that ID")]
    [InlineData("no codec configured", "this process has none configured")]
    public async Task WorkerWithoutTheKey_TaskFailsVisiblyOnDescribe_ThenTheRightKeyCompletesIt(string workerKeys, string reason)
    {
        var prefix = "h" + Guid.NewGuid().ToString("N")[..12];
        await using var owner = await AzureApiServer.StartAsync(azurite, [.. Codec("k1", ("k1", KeyOne)), new(HostingSettingNames.StoragePrefix, prefix)], RegisterProbes);
        var id = ApiCalls.NewId("codec-nokey");
        KeyValuePair<string, string?>[] wrong = workerKeys.StartsWith("other", StringComparison.Ordinal) ? Codec("k1", ("k1", KeyTwo)) : [];

        await using (var misconfigured = await AzureApiServer.StartAsync(
            azurite, [.. wrong, new(HostingSettingNames.StoragePrefix, prefix), new(HostingSettingNames.TaskQueues, BusyQueue)], RegisterProbes))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, (await owner.Client.StartAsync("CodecGreetingWorkflow", id, "\"hello\"", BusyQueue)).StatusCode);
            var failure = await ApiCalls.PollAsync(
                async () => (await owner.Client.GetFromJsonAsync<JsonElement>($"/api/workflows/{id}")).GetProperty("lastTaskFailure").ToString(),
                text => text.Length > 0,
                "the task failure on describe");
            Assert.Contains("cannot be decoded", failure, StringComparison.Ordinal);
            Assert.Contains(reason, failure, StringComparison.Ordinal);

            var refused = await misconfigured.Client.GetAsync($"/api/workflows/{id}");
            var problem = await Problems.AssertProblemAsync(refused, 500, ApiProblems.PayloadUndecodable);
            Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal("Running", (await owner.Client.GetFromJsonAsync<JsonElement>($"/api/workflows/{id}")).GetProperty("status").GetString());
        }

        await using var fixedWorker = await AzureApiServer.StartAsync(
            azurite, [.. Codec("k1", ("k1", KeyOne)), new(HostingSettingNames.StoragePrefix, prefix), new(HostingSettingNames.TaskQueues, BusyQueue)], RegisterProbes);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await owner.Client.PostJsonAsync($"/api/workflows/{id}/signals/name", "\"ann\"")).StatusCode);
        var result = await (await owner.Client.ResultAsync(id, 60)).JsonAsync();
        Assert.Equal("hello ann", result.GetProperty("result").GetString());
    }

    [Fact]
    public async Task KeyRotation_OldPayloadsDecodeAndNewOnesUseTheCurrentKey()
    {
        var prefix = "h" + Guid.NewGuid().ToString("N")[..12];
        var id = ApiCalls.NewId("codec-rotate");
        await using (var before = await AzureApiServer.StartAsync(azurite, [.. Codec("k1", ("k1", KeyOne)), new(HostingSettingNames.StoragePrefix, prefix)], RegisterProbes))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, (await before.Client.StartAsync("CodecGreetingWorkflow", id, "\"hello\"")).StatusCode);
        }

        await using (var rotated = await AzureApiServer.StartAsync(
            azurite, [.. Codec("k2", ("k1", KeyOne), ("k2", KeyTwo)), new(HostingSettingNames.StoragePrefix, prefix)], RegisterProbes))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, (await rotated.Client.PostJsonAsync($"/api/workflows/{id}/signals/name", "\"bob\"")).StatusCode);
            var result = await (await rotated.Client.ResultAsync(id, 30)).JsonAsync();
            Assert.Equal("hello bob", result.GetProperty("result").GetString());
        }

        // The result was written after the rotation: a process that has only the old key cannot read it, and says which key it lacks.
        await using var oldKeyOnly = await AzureApiServer.StartAsync(
            azurite, [.. Codec("k1", ("k1", KeyOne)), new(HostingSettingNames.StoragePrefix, prefix), new(HostingSettingNames.TaskQueues, BusyQueue)], RegisterProbes);
        var problem = await Problems.AssertProblemAsync(await oldKeyOnly.Client.GetAsync($"/api/workflows/{id}/result"), 500, ApiProblems.PayloadUndecodable);
        Assert.Contains("'k2'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static void RegisterProbes(Engine.ServerlessFlowBuilder flow) =>
        flow.AddWorkflow<CodecProbeWorkflow>().AddActivities<CodecProbeActivities>().AddWorkflow<CodecGreetingWorkflow>();

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static KeyValuePair<string, string?>[] Codec(string current, params (string Id, string Key)[] keys) =>
        [new(HostingSettingNames.PayloadCodecCurrentKeyId, current), .. keys.Select(k => new KeyValuePair<string, string?>($"{HostingSettingNames.PayloadCodecKeys}:{k.Id}", k.Key))];

    /// <summary>
    /// Reads every entity of every table and peeks every queue of the server's prefix, and fails naming each place that holds
    /// <paramref name="marker"/>. The workflow ID, stored plain in key columns, proves the scan sees the workflow's rows.
    /// </summary>
    private static async Task AssertNoPlaintextAsync(AzureApiServer server, string marker, string workflowId)
    {
        var found = new List<string>();
        var entities = 0;
        var workflowIdSeen = false;
        var tables = new TableServiceClient(server.ConnectionString);
        await foreach (var table in tables.QueryAsync(t => t.Name.CompareTo(server.Prefix) >= 0 && t.Name.CompareTo(server.Prefix + "{") < 0))
        {
            await foreach (var entity in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                entities++;
                foreach (var (column, value) in entity)
                {
                    var text = value switch
                    {
                        byte[] bytes => Encoding.UTF8.GetString(bytes),
                        null => "",
                        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                    };
                    workflowIdSeen |= text.Contains(workflowId, StringComparison.Ordinal);
                    if (text.Contains(marker, StringComparison.Ordinal))
                    {
                        found.Add($"table {table.Name}, row {entity.PartitionKey}/{entity.RowKey}, column {column}");
                    }
                }
            }
        }

        var queues = new QueueServiceClient(server.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var messages = 0;
        await foreach (var queue in queues.GetQueuesAsync(prefix: server.Prefix))
        {
            foreach (var message in (await queues.GetQueueClient(queue.Name).PeekMessagesAsync(maxMessages: 32)).Value)
            {
                messages++;
                if (message.Body.ToString().Contains(marker, StringComparison.Ordinal))
                {
                    found.Add($"queue {queue.Name}, message {message.MessageId}");
                }
            }
        }

        Assert.True(entities > 0 && workflowIdSeen, $"The scan read {entities} entities and did not see workflow '{workflowId}': it scans the wrong place.");
        Assert.True(found.Count == 0, $"Plaintext payload found ({entities} entities, {messages} messages scanned):{Environment.NewLine}{string.Join(Environment.NewLine, found)}");
    }
}
