using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ServerlessFlow.Cli.Tests;

/// <summary>Builds a workflow assembly from source into a directory, as a user's changed deploy would be built.</summary>
internal static class WorkflowCompiler
{
    public static string CompileToFile(string assemblyName, string code, string directory)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(WorkflowAttribute).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            assemblyName, [CSharpSyntaxTree.ParseText(code)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var path = Path.Combine(directory, assemblyName + ".dll");
        var emitted = compilation.Emit(path);
        Assert.True(emitted.Success, string.Join('\n', emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return path;
    }
}
