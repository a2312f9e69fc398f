using System.Text.Json.Serialization;

namespace ServerlessFlow;

/// <summary>The state of a workflow run.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkflowStatus>))]
public enum WorkflowStatus
{
    /// <summary>Open: the workflow has not closed yet.</summary>
    Running,

    /// <summary>The run method returned.</summary>
    Completed,

    /// <summary>The run method threw.</summary>
    Failed,

    /// <summary>Cancellation was requested and the workflow ended because of it.</summary>
    Canceled,

    /// <summary>Terminated from outside; no workflow code ran.</summary>
    Terminated,

    /// <summary>This run ended by starting a new run with the same ID.</summary>
    ContinuedAsNew,

    /// <summary>The workflow exceeded its execution timeout.</summary>
    TimedOut,
}
