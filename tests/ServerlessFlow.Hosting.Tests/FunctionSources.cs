using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>A function declared in functions/*.cs, as far as its syntax tells.</summary>
/// <param name="Name">The name in [Function("...")].</param>
/// <param name="File">The file it is in.</param>
/// <param name="Trigger">HttpTrigger, QueueTrigger or TimerTrigger.</param>
/// <param name="Arguments">The trigger attribute's positional arguments, as source text with string literals unquoted.</param>
/// <param name="Named">The trigger attribute's named arguments (Route, Connection …), likewise.</param>
/// <param name="Calls">What the method body invokes, e.g. "WorkflowCommandEndpoints.StartAsync".</param>
internal sealed record DeclaredFunction(
    string Name, string File, string Trigger, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Named, string? Calls);

/// <summary>Reads the Function App's sources with Roslyn syntax trees: no compilation, so no Functions packages are needed.</summary>
internal static class FunctionSources
{
    private static readonly string[] Triggers = ["HttpTrigger", "QueueTrigger", "TimerTrigger"];

    public static IReadOnlyList<DeclaredFunction> Read(string folder)
    {
        var functions = new List<DeclaredFunction>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: file).GetRoot();
            foreach (var method in root.DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                if (Attribute(method.AttributeLists, "Function") is not { } function)
                {
                    continue;
                }

                var trigger = method.ParameterList.Parameters
                    .SelectMany(p => p.AttributeLists.SelectMany(l => l.Attributes))
                    .Single(a => Triggers.Contains(ShortName(a)));
                var arguments = trigger.ArgumentList?.Arguments ?? default;
                functions.Add(new DeclaredFunction(
                    Name: Text(function.ArgumentList!.Arguments[0].Expression),
                    File: Path.GetFileName(file),
                    Trigger: ShortName(trigger),
                    Arguments: arguments.Where(a => a.NameEquals is null && a.NameColon is null).Select(a => Text(a.Expression)).ToList(),
                    Named: arguments.Where(a => a.NameEquals is not null).ToDictionary(a => a.NameEquals!.Name.Identifier.Text, a => Text(a.Expression)),
                    Calls: Invoked(method)));
            }
        }

        return functions;
    }

    private static AttributeSyntax? Attribute(SyntaxList<AttributeListSyntax> lists, string name) =>
        lists.SelectMany(l => l.Attributes).FirstOrDefault(a => ShortName(a) == name);

    private static string ShortName(AttributeSyntax attribute)
    {
        var name = attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.Text,
            SimpleNameSyntax simple => simple.Identifier.Text,
            _ => attribute.Name.ToString(),
        };
        return name.EndsWith("Attribute", StringComparison.Ordinal) ? name[..^"Attribute".Length] : name;
    }

    private static string Text(ExpressionSyntax expression) =>
        expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression)
            ? literal.Token.ValueText
            : expression.ToString();

    /// <summary>The member the body hands over to: the outermost invocation of an expression body or of a single return.</summary>
    private static string? Invoked(MethodDeclarationSyntax method)
    {
        var expression = method.ExpressionBody?.Expression
            ?? method.Body?.Statements.OfType<ReturnStatementSyntax>().SingleOrDefault()?.Expression
            ?? method.Body?.Statements.OfType<ExpressionStatementSyntax>().SingleOrDefault()?.Expression;
        if (expression is AwaitExpressionSyntax awaited)
        {
            expression = awaited.Expression;
        }

        return expression is InvocationExpressionSyntax invocation ? invocation.Expression.ToString() : null;
    }
}
