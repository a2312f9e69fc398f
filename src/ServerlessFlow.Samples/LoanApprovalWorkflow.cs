namespace ServerlessFlow.Samples;

/// <summary>A loan application.</summary>
/// <param name="ApplicantId">Who applies.</param>
/// <param name="Amount">How much.</param>
/// <param name="ApprovalWindow">How long to wait for a human decision; 7 days when null.</param>
public sealed record LoanApplication(string ApplicantId, decimal Amount, TimeSpan? ApprovalWindow = null);

/// <summary>A reviewer's decision, sent as the <c>decide</c> signal.</summary>
/// <param name="Approved">True to approve.</param>
/// <param name="Reviewer">Who decided.</param>
public sealed record LoanDecision(bool Approved, string Reviewer);

/// <summary>
/// Credit check, then wait up to seven days for a human to approve or reject (signal <c>decide</c>);
/// the <c>status</c> query tells where the application is at any time.
/// </summary>
// A missing input fails the workflow (no deploy can fix it); any other exception from this code is a bug that fails the task.
[Workflow(FailureExceptionTypes = [typeof(ArgumentNullException)])]
public sealed class LoanApprovalWorkflow
{
    private static readonly ActivityOptions Options = new() { StartToCloseTimeout = TimeSpan.FromSeconds(30) };
    private LoanDecision? decision;
    private decimal? amount;

    /// <summary>Where the application is: "credit-check", "awaiting-decision", "approved", "rejected" or "expired".</summary>
    [WorkflowQuery("status")]
    public string Status { get; private set; } = "credit-check";

    /// <summary>Records the reviewer's decision (only the first one counts).</summary>
    [WorkflowSignal("decide")]
    public void Decide(LoanDecision decision) => this.decision ??= decision;

    /// <summary>Changes the requested amount while no decision has been made; returns the new amount.</summary>
    [WorkflowUpdate("set-amount")]
    public Task<decimal> SetAmountAsync(decimal newAmount)
    {
        amount = newAmount;
        return Task.FromResult(newAmount);
    }

    /// <summary>Rejects amounts that are not positive, and any change once a decision is made.</summary>
    [WorkflowUpdateValidator(nameof(SetAmountAsync))]
    public void ValidateSetAmount(decimal newAmount)
    {
        if (newAmount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(newAmount), newAmount, "The amount must be positive.");
        }

        if (decision is not null)
        {
            throw new InvalidOperationException("A decision has been made; the amount can no longer change.");
        }
    }

    /// <summary>Runs the application.</summary>
    [WorkflowRun]
    public async Task<string> RunAsync(LoanApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        var score = await Workflow.ExecuteActivityAsync((LoanActivities a) => a.CheckCreditAsync(application.ApplicantId), Options);
        if (score < 500)
        {
            Status = "rejected";
            return $"rejected: credit score {score}";
        }

        Status = "awaiting-decision";
        var decided = await Workflow.WaitConditionAsync(() => decision is not null, application.ApprovalWindow ?? TimeSpan.FromDays(7));
        Status = !decided ? "expired" : decision!.Approved ? "approved" : "rejected";
        if (decision is { Approved: true })
        {
            var payout = amount ?? application.Amount;
            await Workflow.ExecuteActivityAsync((LoanActivities a) => a.DisburseAsync(application.ApplicantId, payout), Options);
        }

        return decided ? $"{Status} by {decision!.Reviewer}" : "expired: no decision in time";
    }
}

/// <summary>Activities of <see cref="LoanApprovalWorkflow"/>, standing in for a credit bureau and a bank.</summary>
public sealed class LoanActivities
{
    /// <summary>Returns a credit score (applicants whose ID starts with "poor" score low).</summary>
    [Activity]
    public Task<int> CheckCreditAsync(string applicantId) =>
        Task.FromResult(applicantId?.StartsWith("poor", StringComparison.Ordinal) == true ? 420 : 720);

    /// <summary>Pays out the loan.</summary>
    [Activity]
    public Task<string> DisburseAsync(string applicantId, decimal amount) => Task.FromResult($"paid {amount} to {applicantId}");
}
