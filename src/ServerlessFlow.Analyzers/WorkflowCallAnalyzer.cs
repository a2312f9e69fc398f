using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ServerlessFlow.Analyzers;

/// <summary>
/// Checks calls to Workflow.ExecuteActivityAsync (or ExecuteLocalActivityAsync) and Workflow.ExecuteChildWorkflowAsync (or StartChildWorkflowAsync) against the activities and
/// workflows of this compilation and the assemblies it references: the name exists, the arguments and the result fit.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WorkflowCallAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Rules.UnknownActivity, Rules.UnknownChild, Rules.ArgumentMismatch, Rules.ResultMismatch);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.Create(start.Compilation) is not { } known)
            {
                return;
            }

            var catalog = new Lazy<Catalog>(() => Catalog.Build(start.Compilation, known));
            start.RegisterOperationAction(c => Analyze(c, known, catalog), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, KnownSymbols known, Lazy<Catalog> catalog)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (!KnownSymbols.Is(method.ContainingType, known.Workflow) || method.Name is not ("ExecuteActivityAsync" or "ExecuteLocalActivityAsync" or "ExecuteChildWorkflowAsync" or "StartChildWorkflowAsync") || invocation.Arguments.IsEmpty)
        {
            return;
        }

        var isActivity = method.Name is "ExecuteActivityAsync" or "ExecuteLocalActivityAsync";
        var first = invocation.Arguments.First(a => a.Parameter?.Ordinal == 0);
        if (first.Value.Syntax is LambdaExpressionSyntax lambda)
        {
            CheckLambda(context, known, lambda, isActivity);
            return;
        }

        if (first.Value.ConstantValue is not { HasValue: true, Value: string name })
        {
            return;
        }

        var candidates = isActivity ? catalog.Value.Activities : catalog.Value.Workflows;
        if (!candidates.TryGetValue(name, out var target))
        {
            var rule = isActivity ? Rules.UnknownActivity : Rules.UnknownChild;
            var kind = isActivity ? "activity" : "workflow";
            context.ReportDiagnostic(Diagnostic.Create(rule, first.Value.Syntax.GetLocation(),
                $"No {kind} named '{name}' is defined in this project or the projects it references; check the name (known: {string.Join(", ", candidates.Keys.OrderBy(k => k, StringComparer.Ordinal).Take(10))})"));
            return;
        }

        var second = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 1);
        var parameters = target.Parameters.Where(p => !KnownSymbols.Is(p.Type, known.CancellationToken)).ToList();
        if (second is not null)
        {
            // A child's input is one value; null stands for "no input" to a run method without a parameter.
            var input = Unwrap(second.Value);
            var values = isActivity ? Elements(second.Value)
                : input.ConstantValue is { HasValue: true, Value: null } && parameters.Count == 0 ? ImmutableArray<IOperation>.Empty
                : [input];
            if (values is not null)
            {
                CheckArguments(context, second, values.Value, parameters, $"{(isActivity ? "Activity" : "Workflow")} '{name}' ({target.ContainingType.Name}.{target.Name})");
            }
        }

        if (method.TypeArguments.Length == 1 && method.TypeArguments[0] is var requested && known.ResultOf(target.ReturnType) is { } actual
            && requested.SpecialType != SpecialType.System_Object && requested.Name != "JsonElement" && !Fits(context.Compilation, actual, requested))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.ResultMismatch, invocation.Syntax.GetLocation(),
                $"{target.ContainingType.Name}.{target.Name} returns {actual.ToDisplayString()}, but the call reads it as {requested.ToDisplayString()}"));
        }
    }

    private static void CheckLambda(OperationAnalysisContext context, KnownSymbols known, LambdaExpressionSyntax lambda, bool isActivity)
    {
        var model = context.Operation.SemanticModel;
        if (model is null || lambda.ExpressionBody is not InvocationExpressionSyntax call || model.GetSymbolInfo(call, context.CancellationToken).Symbol is not IMethodSymbol called)
        {
            var rule = isActivity ? Rules.UnknownActivity : Rules.UnknownChild;
            context.ReportDiagnostic(Diagnostic.Create(rule, lambda.GetLocation(),
                $"Pass a lambda that calls one {(isActivity ? "[Activity]" : "[WorkflowRun]")} method on its parameter, e.g. {(isActivity ? "(Payments p) => p.ChargeAsync(order)" : "(Shipment s) => s.RunAsync(order)")}"));
            return;
        }

        var attribute = isActivity ? known.ActivityAttribute : known.WorkflowRunAttribute;
        if (!KnownSymbols.HasAttribute(called.OriginalDefinition, attribute))
        {
            var rule = isActivity ? Rules.UnknownActivity : Rules.UnknownChild;
            var mark = isActivity ? "[Activity]" : "[WorkflowRun]";
            context.ReportDiagnostic(Diagnostic.Create(rule, call.GetLocation(),
                $"{called.ContainingType.Name}.{called.Name} is not marked {mark}, so the call fails at run time; mark it {mark} or call the right method"));
        }
    }

    private static void CheckArguments(OperationAnalysisContext context, IArgumentOperation at, ImmutableArray<IOperation> values, List<IParameterSymbol> parameters, string target)
    {
        var required = parameters.Count(p => !p.IsOptional);
        if (values.Length < required || values.Length > parameters.Count)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.ArgumentMismatch, at.Syntax.GetLocation(),
                $"{target} takes {parameters.Count} argument(s); the call passes {values.Length}"));
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            var fits = value.Type is null ? value.ConstantValue is { HasValue: true, Value: null } && (!parameters[i].Type.IsValueType || parameters[i].Type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
                : Fits(context.Compilation, value.Type, parameters[i].Type);
            if (!fits)
            {
                context.ReportDiagnostic(Diagnostic.Create(Rules.ArgumentMismatch, value.Syntax.GetLocation(),
                    $"{target} expects {parameters[i].Type.ToDisplayString()} for '{parameters[i].Name}', but the call passes {value.Type?.ToDisplayString() ?? "null"}"));
            }
        }
    }

    private static bool Fits(Compilation compilation, ITypeSymbol from, ITypeSymbol to) => compilation.ClassifyCommonConversion(from, to).IsImplicit;

    private static ImmutableArray<IOperation>? Elements(IOperation value) => Unwrap(value) switch
    {
        IArrayCreationOperation { Initializer: { } initializer } => initializer.ElementValues.Select(Unwrap).ToImmutableArray(),
        ICollectionExpressionOperation collection => collection.Elements.Select(Unwrap).ToImmutableArray(),
        _ => null,
    };

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>Activities and workflows by the names they are registered under.</summary>
    private sealed class Catalog
    {
        public Dictionary<string, IMethodSymbol> Activities { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, IMethodSymbol> Workflows { get; } = new(StringComparer.Ordinal);

        public static Catalog Build(Compilation compilation, KnownSymbols known)
        {
            var catalog = new Catalog();
            var programmingModel = known.WorkflowAttribute!.ContainingAssembly;
            var assemblies = new[] { compilation.Assembly }.Concat(compilation.SourceModule.ReferencedAssemblySymbols
                .Where(a => a.Modules.Any(m => m.ReferencedAssemblySymbols.Contains(programmingModel, SymbolEqualityComparer.Default))));
            foreach (var type in assemblies.SelectMany(a => Types(a.GlobalNamespace)))
            {
                foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
                {
                    if (Name(method, known.ActivityAttribute) is { } activity)
                    {
                        catalog.Activities[activity] = method;
                    }

                    if (KnownSymbols.HasAttribute(method, known.WorkflowRunAttribute) && known.IsWorkflow(type))
                    {
                        catalog.Workflows[Name(type, known.WorkflowAttribute) ?? type.Name] = method;
                    }
                }
            }

            return catalog;
        }

        /// <summary>The name given in the attribute, else the member name without "Async"; null when the attribute is absent.</summary>
        private static string? Name(ISymbol symbol, INamedTypeSymbol? attributeType)
        {
            var attribute = symbol.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType));
            if (attribute is null)
            {
                return null;
            }

            if (attribute.ConstructorArguments.FirstOrDefault().Value is string given)
            {
                return given;
            }

            return symbol.Name.EndsWith("Async", StringComparison.Ordinal) && symbol.Name.Length > 5 && symbol is IMethodSymbol
                ? symbol.Name.Substring(0, symbol.Name.Length - 5)
                : symbol.Name;
        }

        private static IEnumerable<INamedTypeSymbol> Types(INamespaceOrTypeSymbol container)
        {
            foreach (var member in container.GetMembers())
            {
                if (member is INamespaceOrTypeSymbol nested)
                {
                    if (nested is INamedTypeSymbol type)
                    {
                        yield return type;
                    }

                    foreach (var inner in Types(nested))
                    {
                        yield return inner;
                    }
                }
            }
        }
    }
}
