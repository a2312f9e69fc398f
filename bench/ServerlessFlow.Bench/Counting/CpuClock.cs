using System.Diagnostics;

namespace ServerlessFlow.Bench.Counting;

/// <summary>
/// CPU time (user + system) spent by the engine's process and, when the benchmark started it, by Azurite's:
/// on a shared 2-core machine wall-clock throughput is noisy, CPU per workflow is not, and the two processes'
/// CPU per workflow bound the throughput (cores × 1,000 / ms per workflow).
/// </summary>
internal sealed class CpuClock(int? storagePid)
{
    /// <summary>Both processes' CPU time now; the storage's is null when its process is not known or gone.</summary>
    public CpuReading Read()
    {
        using var self = Process.GetCurrentProcess();
        return new CpuReading(self.TotalProcessorTime, StorageCpu());
    }

    private TimeSpan? StorageCpu()
    {
        if (storagePid is not { } pid)
        {
            return null;
        }

        try
        {
            using var storage = Process.GetProcessById(pid);
            return storage.TotalProcessorTime;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null; // Azurite exited: no figure rather than a wrong one.
        }
    }
}

/// <summary>CPU time of the engine's process and of the storage's at one moment, or between two moments.</summary>
internal sealed record CpuReading(TimeSpan Engine, TimeSpan? Storage)
{
    public CpuReading Since(CpuReading earlier) => new(Engine - earlier.Engine, Storage - earlier.Storage);
}
