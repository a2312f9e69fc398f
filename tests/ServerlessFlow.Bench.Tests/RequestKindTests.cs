using ServerlessFlow.Bench.Counting;

namespace ServerlessFlow.Bench.Tests;

public sealed class RequestKindTests
{
    private const string Azurite = "http://127.0.0.1:10002/devstoreaccount1";

    [Theory]
    [InlineData("POST", "/$batch", "table batch")]
    [InlineData("GET", "/sfworkflows(PartitionKey='wf1',RowKey='instance')", "table read")]
    [InlineData("GET", "/sfworkflows()?$filter=PartitionKey%20eq%20'wf1'", "table query")]
    [InlineData("GET", "/dtfxHistory?$filter=PartitionKey%20eq%20'x'", "table query")]
    [InlineData("POST", "/sfworkflows", "table insert")]
    [InlineData("PUT", "/sfworkflows(PartitionKey='a',RowKey='b')", "table upsert")]
    [InlineData("MERGE", "/sfworkflows(PartitionKey='a',RowKey='b')", "table merge")]
    [InlineData("PATCH", "/sfworkflows(PartitionKey='a',RowKey='b')", "table merge")]
    [InlineData("DELETE", "/sfworkflows(PartitionKey='a',RowKey='b')", "table delete")]
    [InlineData("POST", "/Tables", "table create-table")]
    public void Classify_TableRequest_NamesTheOperation(string method, string path, string expected) =>
        Assert.Equal(expected, RequestKind.Classify("table", method, new Uri(Azurite + path)));

    [Theory]
    [InlineData("GET", "/sf-workflows/messages?numofmessages=32", "queue receive")]
    [InlineData("GET", "/sf-workflows/messages?peekonly=true", "queue peek")]
    [InlineData("POST", "/sf-workflows/messages?visibilitytimeout=60", "queue send")]
    [InlineData("DELETE", "/sf-workflows/messages/5f2c?popreceipt=abc", "queue delete")]
    [InlineData("PUT", "/sf-workflows/messages/5f2c?popreceipt=abc&visibilitytimeout=30", "queue update")]
    [InlineData("GET", "/sf-workflows?comp=metadata", "queue properties")]
    [InlineData("PUT", "/sf-workflows", "queue create-queue")]
    [InlineData("GET", "/?comp=list", "queue list-queues")]
    public void Classify_QueueRequest_NamesTheOperation(string method, string path, string expected) =>
        Assert.Equal(expected, RequestKind.Classify("queue", method, new Uri(Azurite + path)));

    [Theory]
    [InlineData("PUT", "/hub-leases/default/hub-control-00?comp=lease", "blob lease")]
    [InlineData("PUT", "/hub-leases?restype=container", "blob create-container")]
    [InlineData("GET", "/hub-leases?restype=container&comp=list", "blob list")]
    [InlineData("GET", "/hub-leases/default/hub-control-00", "blob read")]
    [InlineData("PUT", "/hub-largemessages/x/message.json.gz", "blob write")]
    public void Classify_BlobRequest_NamesTheOperation(string method, string path, string expected) =>
        Assert.Equal(expected, RequestKind.Classify("blob", method, new Uri(Azurite + path)));

    [Fact]
    public void Classify_HostStyleUri_DoesNotSkipTheFirstSegment() =>
        Assert.Equal("table batch", RequestKind.Classify("table", "POST", new Uri("https://acct.table.core.windows.net/$batch")));

    [Theory]
    [InlineData("<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessagesList />", true)]
    [InlineData("<QueueMessagesList><QueueMessage><MessageId>1</MessageId></QueueMessage></QueueMessagesList>", false)]
    public void IsEmptyReceive_ResponseBody_TellsWhetherAMessageCame(string body, bool empty) =>
        Assert.Equal(empty, RequestKind.IsEmptyReceive(body));

    [Fact]
    public void ServiceOf_AzuriteConnectionString_MapsEachPortToItsService()
    {
        var endpoints = new StorageEndpoints(
            "DefaultEndpointsProtocol=http;AccountName=a;AccountKey=k;BlobEndpoint=http://127.0.0.1:1/a;QueueEndpoint=http://127.0.0.1:2/a;TableEndpoint=http://127.0.0.1:3/a;");

        Assert.Equal(
            ["blob", "queue", "table", "queue"],
            [
                endpoints.ServiceOf(new Uri("http://127.0.0.1:1/a/c")),
                endpoints.ServiceOf(new Uri("http://127.0.0.1:2/a/q/messages")),
                endpoints.ServiceOf(new Uri("http://127.0.0.1:3/a/$batch")),
                endpoints.ServiceOf(new Uri("https://acct.queue.core.windows.net/q")),
            ]);
    }
}
