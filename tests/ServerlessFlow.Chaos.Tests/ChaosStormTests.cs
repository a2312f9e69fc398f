using ServerlessFlow.TestSupport;
using Xunit.Abstractions;

namespace ServerlessFlow.Chaos.Tests;

/// <summary>
/// The chaos suite: a seeded storm of workflows over worker processes that are killed with SIGKILL and whose storage
/// requests fail (before and after storage applied them), duplicate and delay; then every invariant is checked. A
/// failure prints the seed and every broken invariant by workflow; CHAOS_SEED replays the seed.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class ChaosStormTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    /// <summary>Broken invariants listed in a failure message at most.</summary>
    private const int MaxListed = 80;

    /// <summary>Progress goes to the test output and, as it happens, to standard error (a long run shows where it is).</summary>
    private void Progress(string line)
    {
        output.WriteLine(line);
        Console.Error.WriteLine("[chaos] " + line);
    }

    [Fact]
    public async Task Storm_WorkersKilledAndStorageFaulted_EveryWorkflowEndsAsExpectedWithExactHistories()
    {
        var settings = ChaosSettings.FromEnvironment();
        output.WriteLine($"chaos seed {settings.Seed} — replay with: {settings.ReplayCommand}");
        var storm = new Storm(settings, azurite.ConnectionString, Progress);

        var summary = await storm.RunAsync();

        output.WriteLine(summary.ToString());
        if (storm.Violations.Count > 0)
        {
            output.WriteLine("Every broken invariant:" + Environment.NewLine + storm.Violations.Describe(int.MaxValue));
        }

        Assert.True(storm.Violations.Count == 0,
            $"Chaos seed {settings.Seed}: {storm.Violations.Count} broken invariant(s) — replay with {settings.ReplayCommand}{Environment.NewLine}" +
            storm.Violations.Describe(MaxListed));
    }
}
