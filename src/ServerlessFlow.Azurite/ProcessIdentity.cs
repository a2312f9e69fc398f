using System.Globalization;

namespace ServerlessFlow.Azurite;

/// <summary>
/// A process named by its PID and its start time, read from Linux's /proc: a PID alone may have been reused by another
/// process since it was recorded, the pair never is. Elsewhere (no /proc) nothing is known and every lookup gives null.
/// </summary>
/// <param name="Pid">The process ID.</param>
/// <param name="StartTicks">When it started, in clock ticks since boot (field 22 of /proc/{pid}/stat).</param>
internal sealed record ProcessIdentity(int Pid, long StartTicks)
{
    /// <summary>The process running now as <paramref name="pid"/>; null when none runs (or there is no /proc).</summary>
    public static ProcessIdentity? Of(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        const int StartTimeAfterName = 22 - 3;
        return fields.Length > StartTimeAfterName && long.TryParse(fields[StartTimeAfterName], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? new ProcessIdentity(pid, ticks)
            : null;
    }

    /// <summary>This process.</summary>
    public static ProcessIdentity? Current() => Of(Environment.ProcessId);

    /// <summary>True while this very process runs (not another that got its PID).</summary>
    public bool IsRunning => Of(Pid) == this;

    /// <summary>Its command line, one argument per item; empty when it has exited.</summary>
    public IReadOnlyList<string> CommandLine()
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{Pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            return IsRunning ? arguments : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The text a <see cref="PidFile"/> stores: PID and start time.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Pid} {StartTicks}");

    /// <summary>Reads <see cref="ToString"/>'s text; null when malformed.</summary>
    public static ProcessIdentity? Parse(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? new ProcessIdentity(pid, ticks)
            : null;
    }
}
