using System.Linq.Expressions;

namespace ServerlessFlow;

/// <summary>
/// The typed signal overloads that <see cref="ChildWorkflowHandle{TWorkflow}"/> and <see cref="ExternalWorkflowHandle{TWorkflow}"/>
/// share: the lambda names the handler (<c>wf =&gt; wf.ApproveAsync(a)</c>), its argument is evaluated now, and the signal goes
/// out from workflow code, recorded in its history.
/// </summary>
internal static class TypedSignal
{
    /// <summary>Signals <paramref name="workflowId"/> (run <paramref name="runId"/>, or whichever is current when null) as <paramref name="signal"/> names.</summary>
    public static Task SendAsync(string workflowId, string? runId, LambdaExpression signal)
    {
        var (name, argument) = HandlerCall.Signal(signal);
        return Workflow.SignalExternal(workflowId, runId, name, argument);
    }
}
