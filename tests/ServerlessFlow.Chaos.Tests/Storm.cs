using System.Diagnostics;
using ServerlessFlow.Chaos.Tests.Scenarios;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Chaos.Tests;

/// <summary>
/// One chaos run: workers on the fixture's Azurite, a schedule, rounds of the workflow mix started and driven
/// through the un-faulted client while workers are killed at random, then every invariant checked.
/// </summary>
internal sealed class Storm(ChaosSettings settings, string connectionString, Action<string> log)
{
    /// <summary>A round's workflows are started at seeded moments spread over this window, so kills land at every stage.</summary>
    private static readonly TimeSpan StartWindow = TimeSpan.FromSeconds(30);

    /// <summary>How often a round in progress reports how many workflows are open.</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(20);

    private readonly Violations violations = new();
    private readonly List<Scenario> scenarios = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public Violations Violations => violations;

    public async Task<ChaosSummary> RunAsync()
    {
        var prefix = "chaos" + settings.Seed.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        var journals = Directory.CreateTempSubdirectory("serverlessflow-chaos-");
        await using var driver = new DriverServices(connectionString, prefix);
        await driver.InitializeAsync();
        await using var fleet = new WorkerFleet(settings, connectionString, prefix, journals.FullName);
        await fleet.StartAsync();
        log($"{settings.Workers} workers polling after {clock.Elapsed.TotalSeconds:F0} s; storage prefix {prefix}, journals in {journals.FullName}");

        var schedule = new ScheduleRun($"sched-{settings.Seed}");
        await schedule.CreateAsync(driver.Schedules);
        using var stopKills = new CancellationTokenSource();
        var kills = settings.Kills ? fleet.KillAtRandomAsync(stopKills.Token) : Task.CompletedTask;
        var rounds = 0;
        do
        {
            await RunRoundAsync(driver, fleet, rounds++);
        }
        while (clock.Elapsed < settings.Duration);

        await schedule.PauseAsync(driver.Schedules);
        var settled = await Polling.TryUntilAsync(settings.SettleDeadline, TimeSpan.FromSeconds(2), async () =>
            (await StorageChecks.ListAllAsync(driver.Backend.Store, WorkflowStatus.Running)).Count == 0);
        await stopKills.CancelAsync();
        await kills;
        log($"schedule paused; storm over after {clock.Elapsed.TotalSeconds:F0} s ({rounds} round(s), {fleet.Kills} kills){(settled ? "" : "; workflows still running at the deadline")}");

        // The workers settle what the last commits left first; then they stop, so that histories and journals are read at rest.
        await StorageChecks.CheckPartitionsAsync(driver.Backend.Store, violations);
        await fleet.StopAsync();
        var instances = await StorageChecks.ListAllAsync(driver.Backend.Store);
        log($"checking {instances.Count} workflows");
        var expectations = scenarios.SelectMany(s => s.Expectations).Concat(schedule.Check(instances, violations)).ToList();
        var executions = ExecutionJournals.Read(fleet.Incarnations);
        await WorkflowChecks.CheckAsync(driver, scenarios, expectations, instances, schedule, executions, violations);
        await StorageChecks.CheckDeadLettersAsync(driver.Backend.DeadLetters, violations);
        foreach (var crashed in fleet.Crashed())
        {
            violations.Add(crashed.Name, "workers never crash on their own", "it exited without being killed:" + Environment.NewLine + crashed.Tail);
        }

        var summary = new ChaosSummary(settings, clock.Elapsed, rounds, scenarios.Count, instances, fleet.Kills, fleet.Incarnations.Count, fleet.FaultTotals(), executions, violations);
        if (violations.Count > 0)
        {
            log("worker output (tails):" + Environment.NewLine + fleet.Diagnostics());
            log(await OpenWorkflowReport.DescribeAsync(driver.Backend.Store, instances));
        }

        if (violations.Count == 0)
        {
            journals.Delete(recursive: true); // Kept after a failure: the evidence of which worker ran what.
        }
        return summary;
    }

    /// <summary>Starts a round's mix at seeded moments, drives each workflow, and waits until all of them closed (or the round's deadline).</summary>
    private async Task RunRoundAsync(DriverServices driver, WorkerFleet fleet, int round)
    {
        var plan = ScenarioPlan.Create(settings, round);
        scenarios.AddRange(plan);
        var context = new ScenarioContext(driver.Client, violations, DateTimeOffset.UtcNow + settings.RoundDeadline);
        var startRandom = new Random(settings.SeedFor("starts", round));
        var offsets = plan.Select(_ => StartWindow * startRandom.NextDouble()).ToList();
        await Task.WhenAll(plan.Select((scenario, i) => StartAndDriveAsync(scenario, offsets[i], context)));
        log($"round {round}: {plan.Count} workflows started and driven at {clock.Elapsed.TotalSeconds:F0} s");

        var ids = plan.SelectMany(s => s.Expectations).Select(e => e.WorkflowId).ToHashSet(StringComparer.Ordinal);
        var open = ids.Count;
        var reported = clock.Elapsed;
        var closed = await Polling.TryUntilAsync(context.Remaining, TimeSpan.FromSeconds(2), async () =>
        {
            var statuses = (await StorageChecks.ListAllAsync(driver.Backend.Store)).ToDictionary(i => i.WorkflowId, i => i.Status);
            open = ids.Count(id => statuses.GetValueOrDefault(id, WorkflowStatus.Running) is WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew);
            if (clock.Elapsed - reported > ProgressInterval)
            {
                reported = clock.Elapsed;
                log($"round {round}: {open} of {ids.Count} workflows open at {clock.Elapsed.TotalSeconds:F0} s, {fleet.Kills} kills so far");
            }

            return open == 0;
        });
        log($"round {round}: {plan.Count} workflows started, {(closed ? "all closed" : $"{open} still open at the round's deadline")} at {clock.Elapsed.TotalSeconds:F0} s, {fleet.Kills} kills so far");
    }

    private async Task StartAndDriveAsync(Scenario scenario, TimeSpan offset, ScenarioContext context)
    {
        await Task.Delay(offset);
        try
        {
            await context.Client.StartWorkflowAsync(scenario.WorkflowType, scenario.Input, new StartWorkflowOptions { Id = scenario.Id });
            await scenario.DriveAsync(context);
        }
        catch (Exception e) when (e is ServerlessFlowException or StoreException or InvalidOperationException)
        {
            violations.Add(scenario.Id, "the driver's calls succeed", $"{e.GetType().Name}: {e.Message}");
        }
    }
}
