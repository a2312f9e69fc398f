namespace ServerlessFlow.Aot.App;

/// <summary>What to greet, and how many greetings to send.</summary>
public sealed record GreetingRequest(string Name, int Count);

/// <summary>Who approved the greetings.</summary>
public sealed record Approval(string By);

/// <summary>The workflow's result.</summary>
public sealed record GreetingReport(IReadOnlyList<string> Greetings, string ApprovedBy);

/// <summary>Waits for an approval (a signal), reporting its state through a query, then sends the greetings through an activity.</summary>
[Workflow]
public sealed class GreetingWorkflow
{
    private Approval? approval;

    [WorkflowQuery("status")]
    public string Status { get; private set; } = "starting";

    [WorkflowSignal("approve")]
    public void Approve(Approval given) => approval = given;

    [WorkflowRun]
    public async Task<GreetingReport> RunAsync(GreetingRequest request)
    {
        Status = "waiting for approval";
        await Workflow.WaitConditionAsync(() => approval is not null);
        Status = "greeting";
        var greetings = new List<string>();
        for (var i = 1; i <= request.Count; i++)
        {
            greetings.Add(await GreetingActivitiesCalls.GreetAsync(request.Name, i, new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(10) }));
        }

        Status = "done";
        return new GreetingReport(greetings, approval!.By);
    }
}

/// <summary>A service the activity class takes through its constructor.</summary>
public interface IGreetingFormat
{
    string Format(string name, int number);
}

/// <summary>The app's greeting format.</summary>
public sealed class GreetingFormat : IGreetingFormat
{
    public string Format(string name, int number) => $"Hello {name} #{number}";
}

/// <summary>Formats greetings with the service it is given.</summary>
public sealed class GreetingActivities(IGreetingFormat format)
{
    [Activity]
    public Task<string> GreetAsync(string name, int number) => Task.FromResult(format.Format(name, number));
}
