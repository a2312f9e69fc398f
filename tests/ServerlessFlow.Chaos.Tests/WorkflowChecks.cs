using System.Collections.Concurrent;
using System.Text.Json;
using ServerlessFlow.Chaos.Tests.Scenarios;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.History;

namespace ServerlessFlow.Chaos.Tests;

/// <summary>
/// The per-workflow checks after the storm: each expected workflow ended as expected with the expected result;
/// every run of every workflow in storage keeps <see cref="HistoryRules"/>; every workflow in storage was started
/// by the driver, a parent or the schedule; every child a history names exists and completed.
/// </summary>
internal static class WorkflowChecks
{
    /// <summary>Workflows checked at once.</summary>
    private const int Parallelism = 8;

    public static async Task CheckAsync(
        DriverServices driver, IReadOnlyList<Scenario> scenarios, IReadOnlyList<Expectation> expectations, IReadOnlyList<InstanceRecord> instances,
        ScheduleRun schedule, ExecutionJournals journals, Violations violations)
    {
        var byId = instances.ToDictionary(i => i.WorkflowId, StringComparer.Ordinal);
        await Parallel.ForEachAsync(expectations, Options(), async (expected, _) => await CheckExpectationAsync(driver.Client, expected, byId, violations));
        await Parallel.ForEachAsync(scenarios, Options(), async (scenario, cancellationToken) =>
        {
            if (byId.ContainsKey(scenario.Id))
            {
                scenario.CheckHistory(await driver.Client.GetHistoryAsync(scenario.Id, cancellationToken), violations);
            }
        });

        var children = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(instances, Options(), async (instance, cancellationToken) =>
        {
            foreach (var runId in journals.RunsOf(instance.WorkflowId).Append(instance.RunId).Distinct())
            {
                var history = await driver.Backend.Store.ReadHistoryAsync(instance.WorkflowId, runId, 0, cancellationToken);
                var closed = runId != instance.RunId || instance.Status is not (WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew);
                HistoryRules.Check(instance.WorkflowId, runId, history, closed, journals, violations);
                foreach (var child in history.OfType<ChildWorkflowScheduled>())
                {
                    children[child.ChildWorkflowId] = instance.WorkflowId;
                }
            }
        });

        var expectedIds = expectations.Select(e => e.WorkflowId).ToHashSet(StringComparer.Ordinal);
        foreach (var (childId, parentId) in children.Where(c => !expectedIds.Contains(c.Key)))
        {
            var status = byId.TryGetValue(childId, out var child) ? child.Status.ToString() : "missing";
            if (status != nameof(WorkflowStatus.Completed))
            {
                violations.Add(childId, "every awaited child completed", $"the child of {parentId} is {status}");
            }
        }

        foreach (var instance in instances.Where(i => !expectedIds.Contains(i.WorkflowId) && !children.ContainsKey(i.WorkflowId) && !schedule.Owns(i.WorkflowId)))
        {
            violations.Add(instance.WorkflowId, "every workflow has a starter", $"a {instance.WorkflowType} that neither the driver, a parent nor the schedule started");
        }

        foreach (var workflowId in journals.Activities.Select(a => a.WorkflowId).Distinct().Where(id => !byId.ContainsKey(id)))
        {
            violations.Add(workflowId, "every execution was scheduled", "activities ran for a workflow that is not in storage");
        }
    }

    private static async Task CheckExpectationAsync(IWorkflowClient client, Expectation expected, Dictionary<string, InstanceRecord> byId, Violations violations)
    {
        if (!byId.TryGetValue(expected.WorkflowId, out var instance))
        {
            violations.Add(expected.WorkflowId, "expected end state", $"never started (expected {expected.Status})");
            return;
        }

        var description = await client.DescribeWorkflowAsync(expected.WorkflowId);
        if (description.Status != expected.Status)
        {
            var failure = description.Failure is { } f ? $"; failure {f.Type}: {f.Message}" : "";
            var task = description.LastTaskFailure is { } t ? $"; last task failure: {t}" : "";
            violations.Add(expected.WorkflowId, "expected end state", $"{description.Status}, expected {expected.Status}{failure}{task}; {instance.LastEventId} events");
            return;
        }

        if (expected.Result is { } result && (description.Result is not { } actual || !JsonElement.DeepEquals(actual, result)))
        {
            violations.Add(expected.WorkflowId, "expected result", $"{description.Result?.GetRawText() ?? "none"}, expected {result.GetRawText()}");
        }
    }

    private static ParallelOptions Options() => new() { MaxDegreeOfParallelism = Parallelism };
}
