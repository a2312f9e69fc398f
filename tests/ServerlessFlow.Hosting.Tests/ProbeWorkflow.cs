namespace ServerlessFlow.Hosting.Tests;

/// <summary>
/// A workflow for the HTTP tests of updates and idempotent signals: it keeps the "note" signals it receives
/// (query "notes"), has an update that fails and one that waits for the "open-gate" signal, and runs until "finish".
/// </summary>
[Workflow]
public sealed class ProbeWorkflow
{
    private readonly List<string> notes = [];
    private bool gateOpen;
    private bool finished;

    [WorkflowQuery("notes")]
    public IReadOnlyList<string> Notes => notes;

    [WorkflowQuery("note-at")]
    public string? NoteAt(int index) => index >= 0 && index < notes.Count ? notes[index] : null;

    [WorkflowSignal("note")]
    public void Note(string text) => notes.Add(text);

    [WorkflowSignal("open-gate")]
    public void OpenGate() => gateOpen = true;

    [WorkflowSignal("finish")]
    public void Finish() => finished = true;

    [WorkflowUpdate("pass-gate")]
    public async Task<string> PassGateAsync(string who)
    {
        await Workflow.WaitConditionAsync(() => gateOpen);
        return who + " passed";
    }

    [WorkflowUpdate("fail")]
    public Task<int> FailAsync(string message) => Task.FromException<int>(new InvalidOperationException($"{message} (after {notes.Count} notes)"));

    [WorkflowRun]
    public async Task<List<string>> RunAsync()
    {
        await Workflow.WaitConditionAsync(() => finished);
        return notes;
    }
}
