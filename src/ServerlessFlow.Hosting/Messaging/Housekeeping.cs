using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Worker;

namespace ServerlessFlow.Hosting.Messaging;

/// <summary>
/// The housekeeping pass a timer trigger runs: today the recovery sweep (workflows whose outbox was
/// never sent or whose inbox row lost its wake-up); retention and schedules join it as they arrive.
/// The dev server's worker runs the same sweep on its own timer.
/// </summary>
public sealed class Housekeeping
{
    private readonly RecoverySweeper sweeper;
    private readonly ILogger<Housekeeping> logger;

    internal Housekeeping(RecoverySweeper sweeper, ILogger<Housekeeping> logger)
    {
        this.sweeper = sweeper;
        this.logger = logger;
    }

    /// <summary>Runs one pass; returns how many workflows it woke.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var woken = await sweeper.SweepAsync(cancellationToken);
        if (woken > 0)
        {
            Log.HousekeepingWoke(logger, woken);
        }

        return woken;
    }
}
