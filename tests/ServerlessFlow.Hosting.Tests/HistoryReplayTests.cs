using System.Net;
using ServerlessFlow.Engine.Replay;
using ServerlessFlow.History;
using ServerlessFlow.Samples;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>The history endpoint's body is what the replayer reads: export, commit, replay in CI.</summary>
[Collection(ApiServerGroup.Name)]
public sealed class HistoryReplayTests(ApiServer server)
{
    [Fact]
    public async Task History_BodyOfCompletedWorkflow_ReplaysCleanAgainstTheSameCode()
    {
        var id = ApiCalls.NewId("replayable");
        await server.Client.StartHelloAsync(id, count: 2);
        await server.Client.ResultAsync(id, 30);

        var response = await server.Client.GetAsync($"/api/workflows/{id}/history");
        var history = WorkflowHistory.FromJson(await response.Content.ReadAsStringAsync());
        var result = await new WorkflowReplayer(new WorkflowReplayerOptions { Workflows = [typeof(HelloSequence)] }).ReplayAsync(history);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, history.Id);
        Assert.IsType<WorkflowCompleted>(history.Events[^1]);
        Assert.True(result.Succeeded);
    }
}
