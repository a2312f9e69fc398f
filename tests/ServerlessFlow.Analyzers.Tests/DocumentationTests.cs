using System.Reflection;
using Microsoft.CodeAnalysis;

namespace ServerlessFlow.Analyzers.Tests;

/// <summary>Every rule has its section in docs/analyzers.md, and its help link points there.</summary>
public sealed class DocumentationTests
{
    private static readonly DiagnosticDescriptor[] AllRules = typeof(Rules)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToArray();

    [Fact]
    public void Rules_EachId_HasSectionAndTableRowAndHelpLink()
    {
        var docs = File.ReadAllText(Path.Combine(Verify.Metadata("RepositoryRoot"), "docs", "analyzers.md"));
        Assert.Equal(25, AllRules.Length);
        Assert.All(AllRules, rule =>
        {
            Assert.Contains($"\n## {rule.Id}\n", docs, StringComparison.Ordinal);
            Assert.Contains($"| [{rule.Id}](#{rule.Id.ToLowerInvariant()}) |", docs, StringComparison.Ordinal);
            Assert.Equal(Rules.HelpBase + rule.Id.ToLowerInvariant(), rule.HelpLinkUri);
        });
    }

    [Fact]
    public void Rules_Ids_AreUniqueAndReportedBySomeAnalyzer()
    {
        var reported = new Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer[] { new WorkflowCodeAnalyzer(), new WorkflowDefinitionAnalyzer(), new WorkflowCallAnalyzer() }
            .SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToList();
        Assert.Equal(AllRules.Length, AllRules.Select(r => r.Id).Distinct().Count());
        Assert.Equal(AllRules.Select(r => r.Id).Order(), reported.Order());
    }
}
