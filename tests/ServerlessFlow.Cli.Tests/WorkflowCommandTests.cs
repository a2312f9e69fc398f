using System.Text.Json;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Cli.Tests;

/// <summary><c>workflow …</c> against the dev server.</summary>
[Collection(DevServerGroup.Name)]
public sealed class WorkflowCommandTests(DevServerFixture fixture)
{
    private readonly Cli cli = new(fixture.Server.ApiAddress);

    [Fact]
    public async Task WorkflowStartResultShowDescribeHistory_IdWithUrlCharacters_ReachesTheSameWorkflow()
    {
        // '/', '#', '?', '%' and a space would each change the URL's meaning if not escaped as one segment.
        var id = $"cli/{Guid.NewGuid():N} #1?x=%2F";

        var started = await cli.JsonAsync("workflow", "start", "HelloSequence", "--id", id, "--input", """{"count":2,"delayMs":0}""");
        var result = await cli.JsonAsync("workflow", "result", id, "--wait", "90");
        var show = await cli.RunAsync("workflow", "show", id);
        var describe = await cli.RunAsync("workflow", "describe", id);
        var history = await cli.JsonAsync("workflow", "history", id);

        Assert.Equal(id, started.GetProperty("id").GetString());
        Assert.Equal(id, result.GetProperty("id").GetString());
        Assert.Equal(started.GetProperty("runId").GetString(), result.GetProperty("runId").GetString());
        Assert.Equal("Completed", result.GetProperty("status").GetString());
        Assert.Equal([0, 1], result.GetProperty("result").EnumerateArray().Select(e => e.GetInt32()));

        show.AssertExit(ExitCodes.Ok);
        var activityRows = Lines(show.Output).Where(l => l.Contains("Activity", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, activityRows.Count);
        Assert.All(activityRows, row => Assert.Contains("Completed (attempt 1)", row, StringComparison.Ordinal));
        Assert.Contains("[0,0] → 0", activityRows[0], StringComparison.Ordinal);
        Assert.Contains(Lines(show.Output), l => l.Contains("WorkflowCompleted", StringComparison.Ordinal) && l.Contains("[0,1]", StringComparison.Ordinal));

        describe.AssertExit(ExitCodes.Ok);
        Assert.Contains(Lines(describe.Output), l => l.StartsWith("Status", StringComparison.Ordinal) && l.EndsWith("Completed", StringComparison.Ordinal));
        Assert.Contains(Lines(describe.Output), l => l.StartsWith("Workflow ID", StringComparison.Ordinal) && l.EndsWith(id, StringComparison.Ordinal));

        var events = history.GetProperty("events");
        Assert.Equal("WorkflowStarted", events[0].GetProperty("kind").GetString());
        Assert.Equal("WorkflowCompleted", events[events.GetArrayLength() - 1].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task WorkflowStart_StartDelay_RunWaitsForItsDueTimeAndABadDelayIsRefused()
    {
        var id = $"cli-delayed-{Guid.NewGuid():N}";
        var refusedId = $"cli-delay-bad-{Guid.NewGuid():N}";

        await cli.JsonAsync("workflow", "start", "HelloSequence", "--id", id, "--input", """{"count":1,"delayMs":0}""", "--start-delay", "3600");
        var described = await cli.JsonAsync("workflow", "describe", id);
        var refused = await cli.RunAsync("workflow", "start", "HelloSequence", "--id", refusedId, "--input", """{"count":1,"delayMs":0}""", "--start-delay", "-1");
        var missing = await fixture.Server.Client.GetAsync($"/api/workflows/{refusedId}");
        await cli.RunAsync("workflow", "terminate", id);

        Assert.Equal(("Running", 1L), (described.GetProperty("status").GetString(), described.GetProperty("historyLength").GetInt64()));
        Assert.Equal(described.GetProperty("createdAt").GetDateTimeOffset().AddHours(1), described.GetProperty("firstTaskDueAt").GetDateTimeOffset());
        refused.AssertExit(ExitCodes.Refused);
        Assert.Contains("startDelay", refused.Error, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task WorkflowList_FiltersByIdPrefixTypeAndStatus_TableAndJsonAgree()
    {
        var prefix = $"cli-list-{Guid.NewGuid():N}-";
        await cli.JsonAsync("workflow", "start", "HelloSequence", "--id", prefix + "done", "--input", """{"count":1,"delayMs":0}""");
        await cli.JsonAsync("workflow", "start", "LoanApprovalWorkflow", "--id", prefix + "open", "--input", """{"applicantId":"ann","amount":10}""",
            "--memo", """{"source":"cli"}""");
        await cli.JsonAsync("workflow", "result", prefix + "done", "--wait", "90");

        // The index follows each commit within milliseconds: poll for the closed status to show.
        var listing = await Polling.UntilAsync(TimeSpan.FromSeconds(30), "both workflows in the index, one closed", async () =>
        {
            var page = await cli.JsonAsync("workflow", "list", "--id-prefix", prefix);
            var statuses = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("status").GetString()).Order().ToList();
            return (statuses.SequenceEqual(["Completed", "Running"]), page);
        });
        var running = await cli.JsonAsync("workflow", "list", "--id-prefix", prefix, "--status", "Running");
        var suspended = await cli.JsonAsync("workflow", "list", "--id-prefix", prefix, "--suspended");
        var ofType = await cli.JsonAsync("workflow", "list", "--id-prefix", prefix, "--type", "HelloSequence");
        var limited = await cli.JsonAsync("workflow", "list", "--id-prefix", prefix, "--limit", "1");
        var table = await cli.RunAsync("workflow", "list", "--id-prefix", prefix);

        Assert.Equal(2, listing.GetProperty("items").GetArrayLength());
        Assert.Equal([prefix + "open"], Ids(running));
        Assert.Empty(Ids(suspended));
        Assert.Equal([prefix + "done"], Ids(ofType));
        Assert.Single(Ids(limited));
        Assert.Equal(JsonValueKind.String, limited.GetProperty("continuationToken").ValueKind);

        table.AssertExit(ExitCodes.Ok);
        var rows = Lines(table.Output);
        Assert.StartsWith("WORKFLOW ID", rows[0], StringComparison.Ordinal);
        Assert.Contains(rows, r => r.StartsWith(prefix + "done ", StringComparison.Ordinal) && r.Contains("HelloSequence", StringComparison.Ordinal) && r.Contains("Completed", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith(prefix + "open ", StringComparison.Ordinal) && r.Contains("Running", StringComparison.Ordinal));

        await cli.JsonAsync("workflow", "terminate", prefix + "open");
    }

    [Fact]
    public async Task WorkflowSignalQueryUpdate_LoanApproval_AppliedAndRefusalsExitOne()
    {
        var id = $"cli-loan-{Guid.NewGuid():N}";
        await cli.JsonAsync("workflow", "start", "LoanApprovalWorkflow", "--id", id, "--input", """{"applicantId":"ann","amount":1000}""");

        await Polling.UntilAsync(TimeSpan.FromSeconds(60), "the loan to await a decision", async () =>
        {
            var status = (await cli.JsonAsync("workflow", "query", id, "status")).GetProperty("result").GetString();
            return (status == "awaiting-decision", status);
        });
        var updated = await cli.JsonAsync("workflow", "update", id, "set-amount", "--input", "1500", "--update-id", "amount-1");
        var rejected = await cli.RunAsync("workflow", "update", id, "set-amount", "--input", "-5");
        var signaled = await cli.JsonAsync("workflow", "signal", id, "decide", "--input", """{"approved":true,"reviewer":"bob"}""", "--request-id", "r-1");
        var result = await cli.JsonAsync("workflow", "result", id, "--wait", "90");
        var unknownQuery = await cli.RunAsync("workflow", "query", id, "no-such-query", "--output", "json");

        Assert.Equal(1500, updated.GetProperty("result").GetInt32());
        Assert.Equal("amount-1", updated.GetProperty("updateId").GetString());

        rejected.AssertExit(ExitCodes.Refused);
        Assert.StartsWith("400 Update rejected:", rejected.Error, StringComparison.Ordinal);
        Assert.Contains("type: urn:serverlessflow:problem:update-rejected", rejected.Error, StringComparison.Ordinal);
        Assert.Contains("The amount must be positive", rejected.Error, StringComparison.Ordinal);

        Assert.Equal("decide", signaled.GetProperty("signal").GetString());
        Assert.Equal("approved by bob", result.GetProperty("result").GetString());

        // With --output json the problem itself is printed, for scripts.
        unknownQuery.AssertExit(ExitCodes.Refused);
        var problem = JsonDocument.Parse(unknownQuery.Error).RootElement;
        Assert.Equal("urn:serverlessflow:problem:invalid-request", problem.GetProperty("type").GetString());
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task WorkflowSuspendResume_SignalWhileHeld_AppliedAfterResumeAndShownInDescribeAndList()
    {
        var id = $"cli-suspend-{Guid.NewGuid():N}";
        await cli.JsonAsync("workflow", "start", "LoanApprovalWorkflow", "--id", id, "--input", """{"applicantId":"ann","amount":10}""");

        var suspended = await cli.JsonAsync("workflow", "suspend", id, "--reason", "audit hold");
        await cli.JsonAsync("workflow", "signal", id, "decide", "--input", """{"approved":true,"reviewer":"bob"}""");
        var describeHeld = await cli.RunAsync("workflow", "describe", id);
        var listHeld = await Polling.UntilAsync(TimeSpan.FromSeconds(30), "the suspension in the index", async () =>
        {
            var table = await cli.RunAsync("workflow", "list", "--id-prefix", id);
            return (table.Output.Contains("Running (suspended)", StringComparison.Ordinal), table);
        });
        var onlySuspended = await cli.JsonAsync("workflow", "list", "--id-prefix", id, "--suspended");
        var resumed = await cli.JsonAsync("workflow", "resume", id);
        var result = await cli.JsonAsync("workflow", "result", id, "--wait", "90");
        var resumeClosed = await cli.RunAsync("workflow", "resume", id);
        var suspendWithReasonOnResume = await cli.RunAsync("workflow", "resume", id, "--reason", "x");

        Assert.Equal("audit hold", suspended.GetProperty("suspension").GetProperty("reason").GetString());
        describeHeld.AssertExit(ExitCodes.Ok);
        Assert.Contains(Lines(describeHeld.Output), l => l.StartsWith("Status", StringComparison.Ordinal) && l.EndsWith("Running (suspended)", StringComparison.Ordinal));
        Assert.Contains(Lines(describeHeld.Output), l => l.StartsWith("Suspended", StringComparison.Ordinal) && l.EndsWith(": audit hold", StringComparison.Ordinal));
        listHeld.AssertExit(ExitCodes.Ok);
        Assert.Equal([id], Ids(onlySuspended));
        Assert.Equal(JsonValueKind.Null, resumed.GetProperty("suspension").ValueKind);
        Assert.Equal("approved by bob", result.GetProperty("result").GetString());
        resumeClosed.AssertExit(ExitCodes.Refused);
        Assert.StartsWith("409 ", resumeClosed.Error, StringComparison.Ordinal);
        suspendWithReasonOnResume.AssertExit(ExitCodes.Usage);
    }

    [Fact]
    public async Task WorkflowCancelTerminatePurge_OpenAndClosedRuns_ClosedRunsRefuseWithProblem()
    {
        var canceled = $"cli-cancel-{Guid.NewGuid():N}";
        var terminated = $"cli-terminate-{Guid.NewGuid():N}";
        foreach (var id in new[] { canceled, terminated })
        {
            await cli.JsonAsync("workflow", "start", "LoanApprovalWorkflow", "--id", id, "--input", """{"applicantId":"ann","amount":10}""");
        }

        var purgeOpen = await cli.RunAsync("workflow", "purge", terminated);
        await cli.JsonAsync("workflow", "cancel", canceled, "--reason", "applicant withdrew");
        var terminate = await cli.JsonAsync("workflow", "terminate", terminated, "--reason", "duplicate");
        var terminateAgain = await cli.RunAsync("workflow", "terminate", terminated);
        var canceledResult = await cli.JsonAsync("workflow", "result", canceled, "--wait", "90");
        var purge = await cli.RunAsync("workflow", "purge", terminated);
        var describePurged = await cli.RunAsync("workflow", "describe", terminated);

        purgeOpen.AssertExit(ExitCodes.Refused);
        Assert.Contains("urn:serverlessflow:problem:workflow-open", purgeOpen.Error, StringComparison.Ordinal);
        Assert.Equal("Terminated", terminate.GetProperty("status").GetString());
        terminateAgain.AssertExit(ExitCodes.Refused);
        Assert.StartsWith("409 ", terminateAgain.Error, StringComparison.Ordinal);
        Assert.Contains("workflowStatus: Terminated", terminateAgain.Error, StringComparison.Ordinal);
        Assert.Equal("Canceled", canceledResult.GetProperty("status").GetString());
        purge.AssertExit(ExitCodes.Ok);
        describePurged.AssertExit(ExitCodes.Refused);
        Assert.Contains("urn:serverlessflow:problem:workflow-not-found", describePurged.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkflowPurgeByFilter_WithYes_PurgesOnlyClosedMatches()
    {
        var prefix = $"cli-purge-{Guid.NewGuid():N}-";
        for (var i = 0; i < 2; i++)
        {
            await cli.JsonAsync("workflow", "start", "HelloSequence", "--id", prefix + i, "--input", """{"count":1,"delayMs":0}""");
            await cli.JsonAsync("workflow", "result", prefix + i, "--wait", "90");
        }

        await Polling.UntilAsync(TimeSpan.FromSeconds(30), "both closed in the index", async () =>
            ((await cli.JsonAsync("workflow", "list", "--id-prefix", prefix, "--status", "Completed")).GetProperty("items").GetArrayLength() == 2, true));
        var unconfirmed = await cli.RunAsync("workflow", "purge", "--id-prefix", prefix);
        var purged = await cli.JsonAsync("workflow", "purge", "--id-prefix", prefix, "--yes");
        var after = await cli.JsonAsync("workflow", "list", "--id-prefix", prefix);

        unconfirmed.AssertExit(ExitCodes.Usage);
        Assert.Contains("--yes", unconfirmed.Error, StringComparison.Ordinal);
        Assert.Equal(2, purged.GetProperty("purged").GetInt32());
        Assert.Empty(after.GetProperty("items").EnumerateArray());
    }

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static List<string?> Ids(JsonElement listing) => [.. listing.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString())];
}
