using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ServerlessFlow.Azurite;

/// <summary>Sends SIGTERM (or SIGKILL) to one process by PID, which .NET's <see cref="Process"/> cannot do for SIGTERM (Kill sends SIGKILL).</summary>
internal static partial class PosixSignals
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    /// <summary>Asks <paramref name="process"/> to stop; on Windows, where there is no SIGTERM, kills it.</summary>
    public static void Terminate(Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            process.Kill(entireProcessTree: false);
            return;
        }

        Terminate(process.Id);
    }

    /// <summary>Sends SIGTERM to <paramref name="pid"/> (not on Windows). A failure means the process has already exited; the caller's wait sees that.</summary>
    public static void Terminate(int pid)
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Send(pid, SigTerm);
        }
    }

    /// <summary>Sends SIGKILL to <paramref name="pid"/> (not on Windows).</summary>
    public static void Kill(int pid)
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Send(pid, SigKill);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Send(int pid, int signal);
}
