namespace ServerlessFlow.Cli;

/// <summary>The tool's exit codes, stable for scripts.</summary>
internal static class ExitCodes
{
    /// <summary>The API did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>The API refused (its problem details are printed on standard error), or could not be reached.</summary>
    public const int Refused = 1;

    /// <summary>The command line is wrong: nothing was sent.</summary>
    public const int Usage = 2;
}
