namespace ServerlessFlow.Cli;

/// <summary>A value on the command line that the parser accepted but the command cannot use (exit code 2, nothing sent).</summary>
internal sealed class UsageException(string message) : Exception(message);
