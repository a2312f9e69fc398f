namespace ServerlessFlow.Bench.Engines;

/// <summary>What one benchmark workflow does; each engine runs it with its own equivalent workflow code.</summary>
internal abstract record WorkflowSpec
{
    /// <summary>Activities a workflow of this spec runs.</summary>
    public abstract int Activities { get; }
}

/// <summary>Activities one after another, each waiting <paramref name="DelayMs"/>.</summary>
internal sealed record SequenceSpec(int Count, int DelayMs) : WorkflowSpec
{
    public override int Activities => Count;
}

/// <summary>All activities scheduled in one step, then awaited together.</summary>
internal sealed record FanOutSpec(int Count, int DelayMs) : WorkflowSpec
{
    public override int Activities => Count;
}

/// <summary>A long sequence whose activities note when each step ran (see <see cref="StepClock"/>).</summary>
internal sealed record TimedStepsSpec(int Count) : WorkflowSpec
{
    public override int Activities => Count;
}
