using System.Text.Json;
using ServerlessFlow.Chaos.Worker.Workflows;
using ServerlessFlow.History;

namespace ServerlessFlow.Chaos.Tests.Scenarios;

/// <summary>
/// Updates while the workers die: each answered with the running total; about half repeated with the same update
/// ID (applied once, answered alike); sometimes one the validator rejects (no trace). An update call that times out
/// is repeated with its ID until answered. Then the "finish" signal; the result is [total, updates applied].
/// </summary>
internal sealed class UpdatesScenario : Scenario
{
    /// <summary>How long one update call waits before the driver calls again with the same ID.</summary>
    private static readonly TimeSpan CallWait = TimeSpan.FromSeconds(20);

    private readonly int[] amounts;
    private readonly bool[] repeated;
    private readonly int rejectedAt;

    public UpdatesScenario(string id, int seed) : base(id, seed)
    {
        amounts = Enumerable.Range(0, Random.Next(2, 4)).Select(_ => Random.Next(1, 10)).ToArray();
        repeated = amounts.Select(_ => Random.NextDouble() < 0.5).ToArray();
        rejectedAt = Random.NextDouble() < 0.3 ? Random.Next(amounts.Length) : -1;
    }

    public override string WorkflowType => nameof(ChaosUpdates);

    public override object? Input => null;

    public override IEnumerable<Expectation> Expectations => [Expectation.Completed(Id, new[] { amounts.Sum(), amounts.Length })];

    public override async Task DriveAsync(ScenarioContext context)
    {
        var total = 0;
        for (var i = 0; i < amounts.Length; i++)
        {
            await PauseAsync(1_000);
            if (i == rejectedAt)
            {
                await ExpectRejectedAsync(context, $"{Id}-rejected");
            }

            total += amounts[i];
            var updateId = $"{Id}-update-{i}";
            for (var call = 0; call < (repeated[i] ? 2 : 1); call++)
            {
                var answer = await UpdateAsync(context, updateId, amounts[i]);
                if (answer is null)
                {
                    return; // Reported; the round's time is up.
                }

                if (answer != total)
                {
                    context.Violations.Add(Id, "update answered with its own result", $"update {updateId} (call {call + 1}) answered {answer}, expected the running total {total}");
                }
            }
        }

        await context.Client.SignalWorkflowAsync(Id, "finish", null, $"{Id}-finish");
    }

    public override void CheckHistory(IReadOnlyList<HistoryEvent> history, Violations violations)
    {
        var accepted = history.OfType<WorkflowUpdateAccepted>().Select(u => u.UpdateId).Order(StringComparer.Ordinal).ToList();
        var expected = amounts.Select((_, i) => $"{Id}-update-{i}").Order(StringComparer.Ordinal).ToList();
        if (!accepted.SequenceEqual(expected))
        {
            violations.Add(Id, "each update accepted once, a rejected one never", $"history accepted [{string.Join(", ", accepted)}], the driver sent [{string.Join(", ", expected)}]");
        }
    }

    /// <summary>Calls until answered; null (and a violation) if the round's time ran out.</summary>
    private async Task<int?> UpdateAsync(ScenarioContext context, string updateId, int amount)
    {
        while (context.Remaining > TimeSpan.Zero)
        {
            try
            {
                var result = await context.Client.UpdateWorkflowAsync(Id, "add", amount, updateId, context.Remaining < CallWait ? context.Remaining : CallWait);
                return result?.GetInt32() ?? -1;
            }
            catch (TimeoutException)
            {
                // Accepted, not yet applied (a worker died?): the same ID keeps waiting without applying it twice.
            }
        }

        context.Violations.Add(Id, "update answered", $"update {updateId} was not answered before the round's deadline");
        return null;
    }

    private async Task ExpectRejectedAsync(ScenarioContext context, string updateId)
    {
        try
        {
            var answer = await context.Client.UpdateWorkflowAsync(Id, "add", 0, updateId, CallWait);
            context.Violations.Add(Id, "validator rejects", $"update {updateId} with amount 0 was applied and answered {answer?.GetRawText() ?? "null"}");
        }
        catch (WorkflowUpdateFailedException e) when (e.Rejected)
        {
            // Rejected, as it must be; that it left no trace is checked in history.
        }
        catch (Exception e) when (e is WorkflowUpdateFailedException or TimeoutException or JsonException)
        {
            context.Violations.Add(Id, "validator rejects", $"update {updateId} with amount 0 was not rejected up front: {e.GetType().Name}: {e.Message}");
        }
    }
}
