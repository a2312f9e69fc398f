using System.Net;
using Azure.Core;
using ServerlessFlow.AzureStorage;
using ServerlessFlow.Hosting.Configuration;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>
/// A start with <c>?wait=</c> whose start is recorded but whose outcome cannot be read: the answer is the plain 202 of a
/// recorded start, never an error that a client would retry into a 409. Storage faults come through a pipeline policy on
/// the server's own backend.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class StartWaitFallbackTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Start_WithWaitAndTheRunUnreadable_Returns202AndTheRunStillCompletes()
    {
        var id = ApiCalls.NewId("wait-unreadable");
        var prefix = "h" + Guid.NewGuid().ToString("N")[..12];
        var reads = new FaultInjectionPolicy();
        var failing = true;
        // Every read about this workflow fails (each SDK retry too) until the answer is in; its commits and sends go through.
        reads.FailNext(
            request => Volatile.Read(ref failing) && request.Method == RequestMethod.Get && request.Uri.ToString().Contains(id, StringComparison.Ordinal),
            FaultTiming.BeforeSend,
            times: int.MaxValue);
        await using var server = await AzureApiServer.StartAsync(
            azurite,
            [new(HostingSettingNames.StoragePrefix, prefix)],
            flow => flow.UseAzureStorage(new AzureStorageOptions
            {
                ConnectionString = azurite.ConnectionString, Prefix = prefix, Policies = [reads], RetryDelay = TimeSpan.FromMilliseconds(10),
            }));

        var response = await server.Client.PostAsync($"/api/workflows/HelloSequence?id={id}&wait=30", ApiCalls.Json("""{"count":2,"delayMs":0}"""));
        Volatile.Write(ref failing, false);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.False(body.TryGetProperty("status", out _));
        Assert.True(reads.Injected > 0, "no read of the run was failed: the test did not reach the fallback");
        var result = await server.Client.ResultAsync(id, waitSeconds: 60);
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.Equal("[0,1]", (await result.JsonAsync()).GetProperty("result").GetRawText());
    }
}
