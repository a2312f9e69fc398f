using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessFlow.Engine;

namespace ServerlessFlow.Deployment.Tests;

/// <summary>The root host.json agrees with the engine it hosts.</summary>
public sealed class HostJsonTests
{
    private static readonly JsonNode Host = JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.RepositoryRoot, "host.json")))!;

    private static JsonNode Queues => Host["extensions"]!["queues"]!;

    [Fact]
    public void HostJson_Version_IsFunctionsV2Schema() => Assert.Equal("2.0", (string?)Host["version"]);

    [Fact]
    public void HostJson_MaxDequeueCount_LeavesPoisonHandlingToTheEngine()
    {
        // The engine dead-letters a message itself after MaxDeliveries deliveries, with the reason;
        // the host's own poison queue must only ever catch what the engine could not handle at all.
        var engineLimit = new WorkerOptions().MaxDeliveries;
        Assert.True((int)Queues["maxDequeueCount"]! > engineLimit,
            $"host.json maxDequeueCount {Queues["maxDequeueCount"]} must exceed the engine's {engineLimit} deliveries.");
    }

    [Fact]
    public void HostJson_MaxPollingInterval_IsNoSlowerThanTheEnginesIdlePoll()
    {
        var hostInterval = TimeSpan.Parse((string)Queues["maxPollingInterval"]!, CultureInfo.InvariantCulture);
        Assert.InRange(hostInterval, TimeSpan.FromMilliseconds(100), new WorkerOptions().MaxPollInterval);
    }

    [Fact]
    public void HostJson_BatchSettings_AreWithinQueueTriggerLimits()
    {
        var batchSize = (int)Queues["batchSize"]!;
        Assert.InRange(batchSize, 1, 32);
        Assert.InRange((int)Queues["newBatchThreshold"]!, 0, batchSize);
    }

    [Fact]
    public void HostJson_MessageEncoding_IsPlainTextLikeTheEnginesMessages()
    {
        // The engine writes task messages as plain JSON (TaskMessage.ToJson); the trigger's default,
        // base64, would fail to decode every one of them.
        Assert.Equal("none", (string?)Queues["messageEncoding"]);
    }

    [Fact]
    public void HostJson_VisibilityTimeout_RetriesWithinSeconds()
    {
        var visibility = TimeSpan.Parse((string)Queues["visibilityTimeout"]!, CultureInfo.InvariantCulture);
        Assert.InRange(visibility, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void HostJson_FunctionTimeout_IsBoundedAndWithinFlexScaleInGrace()
    {
        var timeout = TimeSpan.Parse((string)Host["functionTimeout"]!, CultureInfo.InvariantCulture);
        Assert.InRange(timeout, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(60));
    }

    [Fact]
    public void HostJson_RoutePrefix_IsApi() => Assert.Equal("api", (string?)Host["extensions"]!["http"]!["routePrefix"]);

    [Fact]
    public void HostJson_Sampling_NeverDropsRequestsOrExceptions()
    {
        var sampling = Host["logging"]!["applicationInsights"]!["samplingSettings"]!;
        Assert.True((bool)sampling["isEnabled"]!);
        var excluded = ((string)sampling["excludedTypes"]!).Split(';');
        Assert.Contains("Request", excluded);
        Assert.Contains("Exception", excluded);
    }
}
