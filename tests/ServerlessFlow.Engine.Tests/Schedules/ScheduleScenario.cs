using Microsoft.Extensions.Time.Testing;
using ServerlessFlow.Engine.Schedules;
using ServerlessFlow.Schedules;

namespace ServerlessFlow.Engine.Tests.Schedules;

/// <summary>An engine on the in-memory backend and a fake clock, with one schedule that starts <see cref="GateWorkflow"/> every minute.</summary>
internal sealed class ScheduleScenario : IAsyncDisposable
{
    public const string Id = "every-minute";

    public static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private ScheduleScenario(FakeTimeProvider clock, EngineHarness engine)
    {
        Clock = clock;
        Engine = engine;
    }

    public FakeTimeProvider Clock { get; }

    public EngineHarness Engine { get; }

    public IScheduleClient Schedules => Engine.Schedules;

    public static ScheduleDefinition EveryMinute(ScheduleOverlapPolicy overlap = ScheduleOverlapPolicy.Skip, TimeSpan? catchup = null) => new()
    {
        Spec = new ScheduleSpec { Intervals = [new ScheduleInterval(TimeSpan.FromMinutes(1))] },
        Action = new ScheduleAction { WorkflowType = nameof(GateWorkflow), Input = "scheduled" },
        Policies = new SchedulePolicies { Overlap = overlap, CatchupWindow = catchup ?? TimeSpan.FromDays(365) },
    };

    public static async Task<ScheduleScenario> CreateAsync(ScheduleDefinition? definition = null, bool paused = false)
    {
        var clock = new FakeTimeProvider(Start);
        var engine = new EngineHarness(b => b.AddWorkflow<GateWorkflow>(), TestBackend.InMemory(clock), clock);
        var scenario = new ScheduleScenario(clock, engine);
        await engine.Schedules.CreateScheduleAsync(Id, definition ?? EveryMinute(), paused);
        return scenario;
    }

    /// <summary>The nominal time <paramref name="minutes"/> after the start.</summary>
    public static DateTimeOffset At(int minutes) => Start.AddMinutes(minutes);

    /// <summary>The workflow ID of the run for minute <paramref name="minutes"/>.</summary>
    public static string RunOf(int minutes) => ScheduleProcessor.WorkflowIdFor(Id, At(minutes));

    /// <summary>
    /// Moves the clock just past minute <paramref name="minutes"/> (wake-ups are sent a second late, as queues round delays down)
    /// and waits until the schedule has considered that time.
    /// </summary>
    public async Task AdvanceToAsync(int minutes)
    {
        Clock.SetUtcNow(At(minutes) + TimeSpan.FromSeconds(1));
        await Eventually.WaitAsync(() => Schedules.DescribeScheduleAsync(Id), d => d.NextActionTimes.Count == 0 || d.NextActionTimes[0] > At(minutes));
    }

    public Task<ScheduleDescription> WaitForScheduleAsync(Func<ScheduleDescription, bool> done) =>
        Eventually.WaitAsync(() => Schedules.DescribeScheduleAsync(Id), done);

    public Task<WorkflowDescription> WaitForRunAsync(int minutes, WorkflowStatus status) =>
        Eventually.WaitAsync(() => DescribeOrNullAsync(RunOf(minutes)), d => d?.Status == status)!;

    public async Task<WorkflowDescription?> DescribeOrNullAsync(string workflowId)
    {
        try
        {
            return await Engine.Client.DescribeWorkflowAsync(workflowId);
        }
        catch (WorkflowNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Lets the run of minute <paramref name="minutes"/> complete and waits for it to close.</summary>
    public async Task FinishAsync(int minutes)
    {
        await Engine.Client.SignalWorkflowAsync(RunOf(minutes), "finish", null);
        await WaitForRunAsync(minutes, WorkflowStatus.Completed);
    }

    public ValueTask DisposeAsync() => Engine.DisposeAsync();
}
