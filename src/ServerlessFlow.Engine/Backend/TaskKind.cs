namespace ServerlessFlow.Engine.Backend;

/// <summary>The kinds of task message: the wire discriminator <c>k</c>, one <see cref="TaskMessage"/> record each.</summary>
public enum TaskKind
{
    /// <summary>Run a workflow task for the workflow (<see cref="WorkflowTaskMessage"/>).</summary>
    Workflow = 1,

    /// <summary>Run one activity attempt, or a batch of consecutive activities (<see cref="ActivityTaskMessage"/>).</summary>
    Activity = 2,

    /// <summary>Start the child workflow a parent scheduled (<see cref="StartChildMessage"/>).</summary>
    StartChild = 3,

    /// <summary>Tell a child's parent that the child closed (<see cref="ChildClosedMessage"/>).</summary>
    ChildClosed = 4,

    /// <summary>Apply a closed parent's policy to a child (<see cref="ParentClosedMessage"/>).</summary>
    ParentClosed = 5,

    /// <summary>Check an activity's (or a batch's) timeouts (<see cref="ActivityTimeoutMessage"/>).</summary>
    ActivityTimeout = 6,

    /// <summary>Run a pass of a schedule (<see cref="ScheduleMessage"/>).</summary>
    Schedule = 7,

    /// <summary>Run the next retention batch (<see cref="RetentionMessage"/>).</summary>
    Retention = 8,

    /// <summary>Check the timeouts of every open activity of a run (<see cref="ActivityCheckMessage"/>).</summary>
    ActivityCheck = 9,

    /// <summary>Deliver a request that workflow code addressed to another workflow (<see cref="ExternalRequestMessage"/>).</summary>
    ExternalRequest = 10,
}
