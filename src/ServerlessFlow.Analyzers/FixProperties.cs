namespace ServerlessFlow.Analyzers;

/// <summary>Diagnostic properties that carry a code fix: the expression that replaces the reported one, and the fix's title.</summary>
internal static class FixProperties
{
    public const string Replacement = "ServerlessFlow.Replacement";
    public const string Title = "ServerlessFlow.FixTitle";
}
