using ServerlessFlow.AzureStorage;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Chaos.Tests;

/// <summary>What must hold in storage once the storm is over: nothing open, no inbox row left, no outbox unsent, no dead letter.</summary>
internal static class StorageChecks
{
    /// <summary>How long the workers get to settle what the last commits left (outboxes, late wake-ups) before the checks report it.</summary>
    private static readonly TimeSpan SettleDeadline = TimeSpan.FromSeconds(60);

    /// <summary>Every instance row.</summary>
    public static async Task<IReadOnlyList<InstanceRecord>> ListAllAsync(IWorkflowStore store, WorkflowStatus? status = null)
    {
        var all = new List<InstanceRecord>();
        string? token = null;
        do
        {
            var page = await store.ListInstancesAsync(new InstanceQuery { Status = status, PageSize = 1000, ContinuationToken = token }, CancellationToken.None);
            all.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null);
        return all;
    }

    /// <summary>Checks every workflow's partition, giving the workers <see cref="SettleDeadline"/> to settle first.</summary>
    public static async Task CheckPartitionsAsync(IWorkflowStore store, Violations violations)
    {
        var offenders = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        await Polling.TryUntilAsync(SettleDeadline, TimeSpan.FromSeconds(1), async () =>
        {
            offenders.Clear();
            await Parallel.ForEachAsync(await ListAllAsync(store), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (instance, cancellationToken) =>
            {
                var snapshot = await store.LoadAsync(instance.WorkflowId, null, instance.LastEventId, cancellationToken);
                var problem = snapshot is null ? "its instance row vanished"
                    : snapshot.Instance.Status is WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew ? $"still {snapshot.Instance.Status}"
                    : snapshot.Inbox.Count > 0 ? $"{snapshot.Inbox.Count} unconsumed inbox row(s): {string.Join(", ", snapshot.Inbox.Select(i => $"{i.Key} ({i.Event.Describe()} for run {i.RunId})"))}"
                    : snapshot.Instance.OutboxPending ? $"outbox still pending ({snapshot.Instance.Outbox.Count} message(s))"
                    : null;
                if (problem is not null)
                {
                    offenders[instance.WorkflowId] = problem + (snapshot?.Instance.LastTaskFailure is { } failure ? $"; last task failure: {failure}" : "");
                }
            });

            return offenders.IsEmpty;
        });
        foreach (var (workflowId, problem) in offenders)
        {
            violations.Add(workflowId, "settled: closed, inbox empty, outbox sent", problem);
        }
    }

    /// <summary>Nothing should be dead-lettered in a chaos run: every fault it injects is one the engine must recover from.</summary>
    public static async Task CheckDeadLettersAsync(AzureDeadLetters deadLetters, Violations violations)
    {
        string? token = null;
        do
        {
            var page = await deadLetters.ListAsync(null, 1000, token, CancellationToken.None);
            foreach (var letter in page.Items)
            {
                violations.Add(letter.Queue, "nothing dead-lettered", $"message {letter.MessageId} after {letter.DequeueCount} deliveries: {letter.Reason}; body {letter.Body}");
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }
}
