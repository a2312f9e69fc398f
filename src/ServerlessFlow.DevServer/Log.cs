
namespace ServerlessFlow.DevServer;

/// <summary>Every log message of the dev server. Event IDs 4100–4199.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Azurite started: PID {Pid}, ports {Ports}, data in {DataFolder}")]
    public static partial void AzuriteStarted(ILogger logger, int pid, string ports, string dataFolder);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Azurite (PID {Pid}) stopped")]
    public static partial void AzuriteStopped(ILogger logger, int pid);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Azurite (PID {Pid}) did not exit within {Grace} of SIGTERM; killing it")]
    public static partial void AzuriteKilled(ILogger logger, int pid, TimeSpan grace);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Critical, Message = "The dev server could not start: {Reason}")]
    public static partial void StartFailed(ILogger logger, string reason);
}
