namespace ServerlessFlow.Azurite;

/// <summary>How <see cref="AzuriteProcess.StartAsync"/> runs Azurite. The defaults give an in-memory Azurite on free ports.</summary>
public sealed record AzuriteOptions
{
    /// <summary>
    /// Where Azurite persists, created if missing; null runs it in memory (nothing survives a stop).
    /// A PID file beside it (<c>&lt;folder&gt;.pid</c>) refuses a second Azurite on the same folder, which would corrupt it,
    /// while the process that launched the first still runs; once that process is gone (killed with SIGKILL), its orphaned
    /// Azurite is stopped and replaced.
    /// </summary>
    public string? DataFolder { get; init; }

    /// <summary>
    /// Use Azurite's usual ports 10000–10002 (which tools such as Storage Explorer expect) when all three are
    /// free; otherwise, and when false, three ports the OS hands out.
    /// </summary>
    public bool PreferDefaultPorts { get; init; }

    /// <summary>
    /// The full path of Azurite's <c>azurite.js</c> to run (<see cref="AzuriteInstallation.FindOrInstallAsync"/> gives one for a
    /// project); null runs the Azurite of the repository this program was built in (its node_modules, from <c>npm ci</c>).
    /// </summary>
    public string? EntryPoint { get; init; }
}
