using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace ServerlessFlow.Analyzers.CodeFixes;

/// <summary>
/// Replaces a non-deterministic expression with its workflow equivalent (DateTime.UtcNow → Workflow.UtcNow,
/// Guid.NewGuid() → Workflow.NewGuid(), Task.Delay → Workflow.DelayAsync, new Random() → Workflow.Random) or
/// drops ConfigureAwait(false). The analyzer computes the replacement and puts it in the diagnostic's properties,
/// so this fix only swaps the expression.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReplaceWithWorkflowApiCodeFix))]
[Shared]
public sealed class ReplaceWithWorkflowApiCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        Rules.CurrentTime.Id, Rules.NewGuid.Id, Rules.Delay.Id, Rules.RandomNumbers.Id, Rules.ConfigureAwaitFalse.Id);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(FixProperties.Replacement, out var replacement) && replacement is not null
                && diagnostic.Properties.TryGetValue(FixProperties.Title, out var title) && title is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(title, token => ReplaceAsync(context.Document, diagnostic, replacement, token), equivalenceKey: title),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    private static async Task<Document> ReplaceAsync(Document document, Diagnostic diagnostic, string replacement, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } found)
        {
            return document;
        }

        var node = found.AncestorsAndSelf().OfType<ExpressionSyntax>().First(e => e.Span == diagnostic.Location.SourceSpan);
        // Names are written fully qualified (global::ServerlessFlow.Workflow); the simplifier shortens each one the usings allow.
        var parsed = SyntaxFactory.ParseExpression(replacement);
        var expression = parsed.ReplaceNodes(parsed.DescendantNodes().OfType<ExpressionSyntax>(), (_, rewritten) => rewritten.WithAdditionalAnnotations(Simplifier.Annotation))
            .WithTriviaFrom(node)
            .WithAdditionalAnnotations(Simplifier.Annotation, Formatter.Annotation);
        return document.WithSyntaxRoot(root.ReplaceNode(node, expression));
    }
}
