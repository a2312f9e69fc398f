using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.Extensions.Logging;

namespace ServerlessFlow.Analyzers.Tests;

/// <summary>
/// Runs Roslyn's analyzer and code-fix verifiers offline: against the SDK's installed reference assemblies plus the
/// programming model, instead of reference packs the verifiers would otherwise download.
/// </summary>
internal static class Verify
{
    /// <summary>Usings every test source starts with.</summary>
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.Logging;
        using ServerlessFlow;

        """;

    private static readonly ImmutableArray<MetadataReference> References = BuildReferences();

    public static ImmutableArray<MetadataReference> MetadataReferences => References;

    /// <summary>Asserts the analyzer reports exactly the diagnostics marked in <paramref name="source"/> ({|ID:span|}) and <paramref name="expected"/>.</summary>
    public static Task AnalyzerAsync<TAnalyzer>(string source, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> { TestCode = Usings + source };
        Configure(test);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>Asserts the diagnostics marked in <paramref name="source"/> and that the fix turns it into <paramref name="fixedSource"/>.</summary>
    public static Task CodeFixAsync<TAnalyzer, TFix>(string source, string fixedSource)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier> { TestCode = Usings + source, FixedCode = Usings + fixedSource };
        Configure(test);
        return test.RunAsync();
    }

    private static void Configure<TVerifier>(AnalyzerTest<TVerifier> test)
        where TVerifier : IVerifier, new()
    {
        test.ReferenceAssemblies = new ReferenceAssemblies("net10.0"); // no package: nothing to download
        test.TestState.AdditionalReferences.AddRange(References);
    }

    private static ImmutableArray<MetadataReference> BuildReferences()
    {
        var folder = Metadata("NetReferenceAssemblies");
        if (!Directory.Exists(folder))
        {
            throw new InvalidOperationException($"The .NET reference assemblies are not at {folder}: is the .NET 10 SDK's targeting pack installed?");
        }

        return
        [
            .. Directory.GetFiles(folder, "*.dll").Order(StringComparer.Ordinal).Select(path => MetadataReference.CreateFromFile(path)),
            MetadataReference.CreateFromFile(typeof(WorkflowAttribute).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(ILogger).Assembly.Location),
        ];
    }

    /// <summary>A value the project file baked into this assembly.</summary>
    public static string Metadata(string key) =>
        typeof(Verify).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is empty.");
}
