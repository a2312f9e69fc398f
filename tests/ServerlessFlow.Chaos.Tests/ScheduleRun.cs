using System.Globalization;
using ServerlessFlow.Chaos.Tests.Scenarios;
using ServerlessFlow.Chaos.Worker.Workflows;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Schedules;

namespace ServerlessFlow.Chaos.Tests;

/// <summary>
/// A schedule firing every few seconds through the whole storm (overlap AllowAll), paused at its end. Its runs
/// (IDs "{schedule}-{nominal time}") must cover every time from the first to the last without a gap, each
/// completed with the action's result, and must reach up to the pause (less the engine's backstop delay).
/// </summary>
internal sealed class ScheduleRun(string scheduleId)
{
    /// <summary>The spec's interval.</summary>
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(3);

    /// <summary>How far before the pause the last run must be: a lost wake-up is retaken by the backstop within about 8 s (stall threshold + sweep).</summary>
    private static readonly TimeSpan AllowedLag = TimeSpan.FromSeconds(30);

    private static readonly SequenceInput Action = new(2, -1, 0, 0);

    private DateTimeOffset pausedAt;

    public string Id { get; } = scheduleId;

    public Task CreateAsync(IScheduleClient schedules) =>
        schedules.CreateScheduleAsync(Id, new ScheduleDefinition
        {
            Spec = new ScheduleSpec { Intervals = [new ScheduleInterval(Every)] },
            Action = new ScheduleAction { WorkflowType = nameof(ChaosSequence), Input = Action },
            Policies = new SchedulePolicies { Overlap = ScheduleOverlapPolicy.AllowAll },
        });

    public async Task PauseAsync(IScheduleClient schedules)
    {
        await schedules.PauseScheduleAsync(Id, "the chaos storm is over");
        pausedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>True for the ID of one of its runs.</summary>
    public bool Owns(string workflowId) => workflowId.StartsWith(Id + "-", StringComparison.Ordinal);

    /// <summary>Checks the runs among <paramref name="instances"/>; returns their expectations for the per-workflow checks.</summary>
    public IReadOnlyList<Expectation> Check(IEnumerable<InstanceRecord> instances, Violations violations)
    {
        var runs = instances.Where(i => Owns(i.WorkflowId))
            .Select(i => (i.WorkflowId, Nominal: DateTimeOffset.ParseExact(i.WorkflowId[(Id.Length + 1)..], "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)))
            .OrderBy(r => r.Nominal)
            .ToList();
        if (runs.Count == 0)
        {
            violations.Add(Id, "the schedule ran", "no run at all");
            return [];
        }

        for (var i = 1; i < runs.Count; i++)
        {
            if (runs[i].Nominal - runs[i - 1].Nominal != Every)
            {
                violations.Add(Id, "every schedule time ran once", $"{runs[i - 1].WorkflowId} is followed by {runs[i].WorkflowId}");
            }
        }

        if (runs[^1].Nominal < pausedAt - AllowedLag)
        {
            violations.Add(Id, "the schedule kept up", $"its last run is for {runs[^1].Nominal:O}, but it was paused at {pausedAt:O}");
        }

        return runs.Select(r => Expectation.Completed(r.WorkflowId, SequenceScenario.Results(Action))).ToList();
    }
}
