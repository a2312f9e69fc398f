using DurableTask.Core;

namespace ServerlessFlow.Bench.Engines.Dtfx;

/// <summary>Input of <see cref="DtfxWork"/>.</summary>
public sealed record DtfxWorkInput(int Index, int DelayMs);

/// <summary>The Durable Task twin of the HelloSequence activity: waits <c>DelayMs</c> and returns its index.</summary>
public sealed class DtfxWork : AsyncTaskActivity<DtfxWorkInput, int>
{
    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(TaskContext context, DtfxWorkInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await Task.Delay(input.DelayMs);
        return input.Index;
    }
}

/// <summary>Notes when a step ran (see <see cref="StepClock"/>) and returns its index.</summary>
public sealed class DtfxMarkStep : TaskActivity<int, int>
{
    /// <inheritdoc />
    protected override int Execute(TaskContext context, int input)
    {
        StepClock.Mark(input);
        return input;
    }
}
