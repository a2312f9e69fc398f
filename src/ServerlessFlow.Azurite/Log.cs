using Microsoft.Extensions.Logging;

namespace ServerlessFlow.Azurite;

/// <summary>Every log message of the Azurite launcher. Event IDs 4200–4299.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Azurite started: PID {Pid}, ports {Ports}, data in {DataFolder}")]
    public static partial void AzuriteStarted(ILogger logger, int pid, string ports, string dataFolder);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Azurite (PID {Pid}) stopped")]
    public static partial void AzuriteStopped(ILogger logger, int pid);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Azurite (PID {Pid}) did not exit within {Grace} of SIGTERM; killing it")]
    public static partial void AzuriteKilled(ILogger logger, int pid, TimeSpan grace);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "No Azurite found for this project: installing Azurite {Version} from npm into {Folder} (once; later starts use it)")]
    public static partial void AzuriteInstalling(ILogger logger, string version, string folder);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "Azurite (PID {Pid}) still runs on {DataFolder} after the process that started it (PID {OwnerPid}) ended without stopping it; stopping that orphan")]
    public static partial void OrphanStopping(ILogger logger, int pid, int ownerPid, string dataFolder);
}
