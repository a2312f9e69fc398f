using System.Globalization;
using ServerlessFlow.Chaos.Worker;

namespace ServerlessFlow.Chaos.Tests;

/// <summary>One activity execution as journaled by a worker.</summary>
/// <param name="Worker">The incarnation that ran it.</param>
/// <param name="Attempt">The attempt number it ran as.</param>
/// <param name="InFlightAtKill">It began in an incarnation that was killed and never ended there.</param>
internal sealed record Execution(string Worker, int Attempt, bool InFlightAtKill);

/// <summary>Every activity execution of the run, by (workflow ID, run ID, scheduled event ID), read from all the workers' journals.</summary>
internal sealed class ExecutionJournals
{
    private readonly Dictionary<(string WorkflowId, string RunId, long ScheduledEventId), List<Execution>> executions;

    private ExecutionJournals(Dictionary<(string, string, long), List<Execution>> executions) => this.executions = executions;

    /// <summary>Executions journaled in all.</summary>
    public int Count => executions.Values.Sum(list => list.Count);

    /// <summary>Executions that were in flight at a kill.</summary>
    public int InFlightAtKill => executions.Values.Sum(list => list.Count(e => e.InFlightAtKill));

    /// <summary>Every activity that ran at least once.</summary>
    public IEnumerable<(string WorkflowId, string RunId, long ScheduledEventId)> Activities => executions.Keys;

    /// <summary>The runs of <paramref name="workflowId"/> that ran activities.</summary>
    public IEnumerable<string> RunsOf(string workflowId) => executions.Keys.Where(k => k.WorkflowId == workflowId).Select(k => k.RunId).Distinct();

    /// <summary>Every execution journaled for <paramref name="workflowId"/>, as "run/event:attempt@worker", for failure messages.</summary>
    public string DescribeAll(string workflowId) =>
        string.Join(", ", executions.Where(p => p.Key.WorkflowId == workflowId)
            .SelectMany(p => p.Value.Select(e => $"{p.Key.RunId}/{p.Key.ScheduledEventId}:{e.Attempt}@{e.Worker}")));

    /// <summary>The executions of one activity (empty if it never ran).</summary>
    public IReadOnlyList<Execution> Of(string workflowId, string runId, long scheduledEventId) =>
        executions.GetValueOrDefault((workflowId, runId, scheduledEventId)) ?? [];

    /// <summary>Reads the journals of <paramref name="workers"/>.</summary>
    public static ExecutionJournals Read(IEnumerable<ChaosWorkerProcess> workers)
    {
        var all = new Dictionary<(string, string, long), List<Execution>>();
        foreach (var worker in workers.Where(w => File.Exists(w.Journal)))
        {
            // A line cut short by the kill has fewer fields and is skipped; whole lines were flushed one by one.
            var lines = File.ReadAllLines(worker.Journal).Select(line => line.Split('\t')).Where(fields => fields.Length == 6).ToList();
            var ended = lines.Where(f => f[0] == ExecutionJournal.End).Select(Key).ToHashSet();
            foreach (var fields in lines.Where(f => f[0] == ExecutionJournal.Begin))
            {
                var key = Key(fields);
                var execution = new Execution(worker.Name, key.Attempt, worker.Killed && !ended.Contains(key));
                var activity = (key.WorkflowId, key.RunId, key.ScheduledEventId);
                if (!all.TryGetValue(activity, out var list))
                {
                    all[activity] = list = [];
                }

                list.Add(execution);
            }
        }

        return new ExecutionJournals(all);
    }

    private static (string WorkflowId, string RunId, long ScheduledEventId, int Attempt) Key(string[] fields) =>
        (fields[1], fields[2], long.Parse(fields[3], CultureInfo.InvariantCulture), int.Parse(fields[4], CultureInfo.InvariantCulture));
}
