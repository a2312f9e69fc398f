using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ServerlessFlow.Azurite;

/// <summary>Sends SIGTERM to one process by PID, which .NET's <see cref="Process"/> cannot do (Kill sends SIGKILL).</summary>
internal static partial class PosixSignals
{
    private const int SigTerm = 15;

    /// <summary>Asks <paramref name="process"/> to stop; on Windows, where there is no SIGTERM, kills it.</summary>
    public static void Terminate(Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            process.Kill(entireProcessTree: false);
            return;
        }

        // A failure means the process has already exited; the caller's wait sees that.
        _ = Kill(process.Id, SigTerm);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
