using ServerlessFlow.Chaos.Worker.Workflows;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Chaos.Tests.Scenarios;

/// <summary>
/// A parent that awaits a sequence child, starts three sleeper children, one per parent close policy, and — released
/// by the driver once all three exist — completes while they are open: the Terminate one must end Terminated, the RequestCancel one Canceled (after its cleanup), and the
/// Abandon one keeps running until the driver signals it to finish after the parent closed.
/// </summary>
internal sealed class ParentScenario : Scenario
{
    private readonly SequenceInput child;

    public ParentScenario(string id, int seed) : base(id, seed) => child = new SequenceInput(Random.Next(1, 3), -1, 0, Random.Next(0, 100));

    public override string WorkflowType => nameof(ChaosParent);

    public override object? Input => child;

    public override IEnumerable<Expectation> Expectations =>
    [
        Expectation.Completed(Id, SequenceScenario.Results(child)),
        new(ChaosParent.SleeperId(Id, ParentClosePolicy.Terminate), WorkflowStatus.Terminated, null),
        new(ChaosParent.SleeperId(Id, ParentClosePolicy.RequestCancel), WorkflowStatus.Canceled, null),
        Expectation.Completed(ChaosParent.SleeperId(Id, ParentClosePolicy.Abandon), "finished"),
    ];

    public override async Task DriveAsync(ScenarioContext context)
    {
        var sleepers = Enum.GetValues<ParentClosePolicy>().Select(policy => ChaosParent.SleeperId(Id, policy)).ToList();
        var started = await Polling.TryUntilAsync(context.Remaining, ScenarioContext.PollInterval, async () =>
        {
            foreach (var sleeper in sleepers)
            {
                if (await StatusAsync(context.Client, sleeper) is null)
                {
                    return false;
                }
            }

            return true;
        });
        if (!started)
        {
            return; // The expectations report the sleepers that never started.
        }

        await context.Client.SignalWorkflowAsync(Id, "release", null, $"{Id}-release");
        var abandoned = ChaosParent.SleeperId(Id, ParentClosePolicy.Abandon);
        var ready = await Polling.TryUntilAsync(context.Remaining, ScenarioContext.PollInterval, async () =>
            await StatusAsync(context.Client, Id) is not (null or WorkflowStatus.Running or WorkflowStatus.ContinuedAsNew)
            && await StatusAsync(context.Client, abandoned) is not null);
        if (!ready)
        {
            return; // The expectations report what did not happen.
        }

        if (await StatusAsync(context.Client, abandoned) != WorkflowStatus.Running)
        {
            return; // Closed by the parent's closing although abandoned: the expectation reports it.
        }

        await context.Client.SignalWorkflowAsync(abandoned, "finish", null, $"{abandoned}-finish");
    }

    private static async Task<WorkflowStatus?> StatusAsync(IWorkflowClient client, string workflowId)
    {
        try
        {
            return (await client.DescribeWorkflowAsync(workflowId)).Status;
        }
        catch (WorkflowNotFoundException)
        {
            return null;
        }
    }
}
