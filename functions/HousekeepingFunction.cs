using Microsoft.Azure.Functions.Worker;
using ServerlessFlow.Hosting.Messaging;

namespace ServerlessFlow.Functions;

/// <summary>
/// Housekeeping on a timer: wakes workflows whose outbox was never sent or whose inbox lost its wake-up.
/// Every five minutes: it is a backstop (a crash between commit and send is normally repaired when the
/// trigger redelivers its message), and a frequent timer would keep a Flex Consumption app from scaling to zero.
/// </summary>
/// <param name="housekeeping">The hosting library's housekeeping pass.</param>
public sealed class HousekeepingFunction(Housekeeping housekeeping)
{
    /// <summary>Runs one pass.</summary>
    [Function("Housekeeping")]
    public Task Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        housekeeping.RunAsync(cancellationToken);
}
