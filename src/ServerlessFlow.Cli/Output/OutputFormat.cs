namespace ServerlessFlow.Cli.Output;

/// <summary>How a command prints the API's answer.</summary>
internal enum OutputFormat
{
    /// <summary>Aligned columns for a person.</summary>
    Table,

    /// <summary>The API's JSON, indented, for scripts (<c>jq</c>).</summary>
    Json,
}
