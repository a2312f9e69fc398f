using Microsoft.Extensions.Logging;

namespace ServerlessFlow.DevServer;

/// <summary>Every log message of the dev server. Event IDs 4100–4199 (Azurite's start and stop: ServerlessFlow.Azurite, 4200–4299).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4103, Level = LogLevel.Critical, Message = "The dev server could not start: {Reason}")]
    public static partial void StartFailed(ILogger logger, string reason);
}
