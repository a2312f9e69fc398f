using System.Globalization;

namespace ServerlessFlow.Engine.Client;

/// <summary>Checks <see cref="StartWorkflowOptions.StartDelay"/>: the one place that decides which delays a start takes.</summary>
internal static class StartDelays
{
    /// <summary>The delay to apply: null for none (absent or zero).</summary>
    /// <exception cref="InvalidWorkflowRequestException">It is negative or longer than <see cref="StartWorkflowOptions.MaxStartDelay"/>; nothing is started.</exception>
    public static TimeSpan? Check(TimeSpan? delay) => delay switch
    {
        null => null,
        { } d when d == TimeSpan.Zero => null,
        { } d when d < TimeSpan.Zero || d > StartWorkflowOptions.MaxStartDelay => throw new InvalidWorkflowRequestException(string.Create(CultureInfo.InvariantCulture,
            $"StartDelay {d} is out of range: give zero (start at once) or a delay of at most {StartWorkflowOptions.MaxStartDelay.TotalDays} days; for later starts, create a schedule. Nothing was started.")),
        { } d => d,
    };
}
