using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ServerlessFlow.Codec;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>The AES-GCM codec and the stored JSON that applies it: which parts of a record are encoded, and reading across keys.</summary>
public sealed class PayloadCodecTests
{
    private const string Secret = "card 4111-1111";

    private static readonly byte[] KeyOne = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] KeyTwo = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void AesGcmCodec_RoundTrip_ReturnsThePayloadAndHidesIt()
    {
        var codec = Codec("k1", ("k1", KeyOne));
        var payload = Encoding.UTF8.GetBytes($"\"{Secret}\"");

        var encoded = codec.Encode(payload);

        Assert.DoesNotContain(Secret, Encoding.UTF8.GetString(encoded), StringComparison.Ordinal);
        Assert.Equal(payload, codec.Decode(encoded));
        Assert.NotEqual(encoded, codec.Encode(payload)); // A fresh nonce for every payload.
    }

    [Fact]
    public void AesGcmCodec_Rotation_DecodesWithAnyKeyAndEncodesWithTheCurrentOne()
    {
        var old = Codec("k1", ("k1", KeyOne));
        var rotated = Codec("k2", ("k1", KeyOne), ("k2", KeyTwo));
        var payload = Encoding.UTF8.GetBytes("42");

        Assert.Equal(payload, rotated.Decode(old.Encode(payload)));
        var error = Assert.Throws<PayloadCodecException>(() => old.Decode(rotated.Encode(payload)));
        Assert.Contains("key 'k2', which is not among this process's payload keys ('k1')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AesGcmCodec_OtherKeyMaterialOrChangedBytes_FailsNamingTheKey()
    {
        var encoded = Codec("k1", ("k1", KeyOne)).Encode("{}"u8);
        var impostor = Codec("k1", ("k1", KeyTwo));

        Assert.Contains("does not decrypt with the configured key", Assert.Throws<PayloadCodecException>(() => impostor.Decode(encoded)).Message, StringComparison.Ordinal);
        encoded[^1] ^= 1;
        Assert.Throws<PayloadCodecException>(() => Codec("k1", ("k1", KeyOne)).Decode(encoded));
    }

    [Theory]
    [InlineData("k9", 32, "not among the configured keys")]
    [InlineData("k1", 20, "AES-GCM takes 16, 24 or 32")]
    [InlineData("k 1", 32, "is invalid")]
    public void AesGcmCodecOptions_Invalid_ThrowNamingTheFix(string currentKeyId, int keyBytes, string expected)
    {
        var keyId = currentKeyId == "k9" ? "k1" : currentKeyId;
        var error = Assert.Throws<ArgumentException>(() => Codec(currentKeyId, (keyId, new byte[keyBytes])));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StoredJson_WithCodec_EncodesEveryRecordThatCarriesPayloadsAndReadsItBack()
    {
        var stored = new StoredJson(Codec("k1", ("k1", KeyOne)));
        var secret = JsonSerializer.SerializeToElement(Secret);
        HistoryEvent[] events =
        [
            new WorkflowStarted
            {
                WorkflowType = "Order", TaskQueue = "default", Input = secret, RandomSeed = 1,
                Memo = new Dictionary<string, JsonElement> { ["m"] = secret },
            },
            new ChildWorkflowScheduled
            {
                ChildWorkflowId = "c", WorkflowType = "Child", TaskQueue = "default", Input = secret,
                Memo = new Dictionary<string, JsonElement> { ["m"] = secret },
            },
            new ActivityFailed { ScheduledEventId = 5, Attempt = 1, Failure = new FailureInfo { Type = "E", Message = "failed", Details = secret } },
            new WorkflowContinuedAsNew { NewRunId = "r2", Input = secret },
            new WorkflowSignaled { SignalName = "s", RequestId = "q", Input = secret },
        ];

        foreach (var historyEvent in events)
        {
            var bytes = stored.Serialize<HistoryEvent>(historyEvent);
            Assert.DoesNotContain(Secret, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
            Assert.Equal(JsonSerializer.Serialize<HistoryEvent>(historyEvent, PayloadJson.Options), JsonSerializer.Serialize(stored.Deserialize<HistoryEvent>(bytes, "row"), PayloadJson.Options));
        }

        var inbox = new InboxItem { Key = "k", RunId = "r", Event = events[^1], CreatedAt = DateTimeOffset.UnixEpoch };
        Assert.DoesNotContain(Secret, Encoding.UTF8.GetString(stored.Serialize(inbox)), StringComparison.Ordinal);
    }

    [Fact]
    public void StoredJson_InstanceRecord_StaysPlainSoAProcessWithoutTheKeyReadsIt()
    {
        var instance = new InstanceRecord
        {
            WorkflowId = "w", RunId = "r", WorkflowType = "Order", TaskQueue = "default", Status = WorkflowStatus.Running,
            CreatedAt = DateTimeOffset.UnixEpoch, LastEventId = 1,
        };

        var bytes = StoredJson.SerializePlain(instance);

        Assert.Equal("Order", new StoredJson(null).Deserialize<InstanceRecord>(bytes, "i").WorkflowType);
    }

    [Fact]
    public void StoredJson_PlainPayloadsStoredBeforeTheCodec_StayReadable()
    {
        var plain = new StoredJson(null).Serialize<HistoryEvent>(new WorkflowCompleted { Result = JsonSerializer.SerializeToElement(Secret) });

        var read = (WorkflowCompleted)new StoredJson(Codec("k1", ("k1", KeyOne))).Deserialize<HistoryEvent>(plain, "h");

        Assert.Equal(Secret, read.Result!.Value.GetString());
    }

    [Fact]
    public void StoredJson_EncodedPayloadWithoutCodec_FailsNamingTheRowAndTheFix()
    {
        var encoded = new StoredJson(Codec("k1", ("k1", KeyOne))).Serialize<HistoryEvent>(new WorkflowCompleted { Result = JsonSerializer.SerializeToElement(Secret) });

        var error = Assert.Throws<PayloadCodecException>(() => new StoredJson(null).Deserialize<HistoryEvent>(encoded, "h-run-7"));

        Assert.Contains("Row 'h-run-7'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ServerlessFlow:PayloadCodec:CurrentKeyId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StoredJson_Document_EncodedWithCodecAndPlainDocumentsStillRead()
    {
        var stored = new StoredJson(Codec("k1", ("k1", KeyOne)));
        var document = "{\"action\":{\"input\":\"" + Secret + "\"}}";

        var bytes = stored.EncodeDocument(document);

        Assert.DoesNotContain(Secret, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(document, stored.DecodeDocument(bytes, "s"));
        Assert.Equal(document, stored.DecodeDocument(Encoding.UTF8.GetBytes(document), "s"));
        Assert.Throws<PayloadCodecException>(() => new StoredJson(null).DecodeDocument(bytes, "s"));
    }

    private static AesGcmPayloadCodec Codec(string current, params (string Id, byte[] Key)[] keys) =>
        new(new AesGcmPayloadCodecOptions { CurrentKeyId = current, Keys = keys.ToDictionary(k => k.Id, k => k.Key) });
}
