using Microsoft.Extensions.Logging;
using ServerlessFlow.Engine.Worker;

namespace ServerlessFlow.Hosting.Messaging;

/// <summary>
/// The housekeeping pass a timer trigger runs: the recovery sweep (workflows whose outbox was never sent or
/// whose inbox row lost its wake-up), the backstop of schedules whose wake-up was lost, and a retention batch.
/// The dev server's worker runs the same <see cref="HousekeepingPass"/> on its own timer.
/// </summary>
public sealed class Housekeeping
{
    private readonly HousekeepingPass pass;
    private readonly ILogger<Housekeeping> logger;

    internal Housekeeping(HousekeepingPass pass, ILogger<Housekeeping> logger)
    {
        this.pass = pass;
        this.logger = logger;
    }

    /// <summary>Runs one pass.</summary>
    public async Task<HousekeepingResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = await pass.RunAsync(cancellationToken);
        if (result.WorkflowsWoken > 0)
        {
            Log.HousekeepingWoke(logger, result.WorkflowsWoken);
        }

        return result;
    }
}
