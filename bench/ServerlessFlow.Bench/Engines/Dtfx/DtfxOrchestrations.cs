using DurableTask.Core;

namespace ServerlessFlow.Bench.Engines.Dtfx;

/// <summary>Input of the Durable Task orchestrations: how many activities, each waiting <c>DelayMs</c>.</summary>
public sealed record DtfxInput(int Count, int DelayMs);

/// <summary>The Durable Task twin of HelloSequence: activities one after another.</summary>
public sealed class DtfxSequence : TaskOrchestration<int, DtfxInput>
{
    /// <inheritdoc />
    public override async Task<int> RunTask(OrchestrationContext context, DtfxInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        for (var i = 0; i < input.Count; i++)
        {
            await context.ScheduleTask<int>(typeof(DtfxWork), new DtfxWorkInput(i, input.DelayMs));
        }

        return input.Count;
    }
}

/// <summary>The Durable Task twin of the fan-out: every activity scheduled in one episode, then awaited together.</summary>
public sealed class DtfxFanOut : TaskOrchestration<int, DtfxInput>
{
    /// <inheritdoc />
    public override async Task<int> RunTask(OrchestrationContext context, DtfxInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var results = await Task.WhenAll(Enumerable.Range(0, input.Count)
            .Select(i => context.ScheduleTask<int>(typeof(DtfxWork), new DtfxWorkInput(i, input.DelayMs))));
        return results.Length;
    }
}

/// <summary>The Durable Task twin of the timed-steps workflow: <c>Count</c> steps, each noting when it ran.</summary>
public sealed class DtfxTimedSteps : TaskOrchestration<int, DtfxInput>
{
    /// <inheritdoc />
    public override async Task<int> RunTask(OrchestrationContext context, DtfxInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        for (var i = 0; i < input.Count; i++)
        {
            await context.ScheduleTask<int>(typeof(DtfxMarkStep), i);
        }

        return input.Count;
    }
}
