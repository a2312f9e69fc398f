using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ServerlessFlow.Analyzers;

/// <summary>
/// Reports, at compile time, the workflow and activity definitions that registration would refuse at start-up
/// (the same rules as the engine's registry): run method count and parameters, handler shapes, constructors.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WorkflowDefinitionAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Rules.CancellationTokenParameter, Rules.RunParameters, Rules.RunMethodCount, Rules.HandlerShape, Rules.DefinitionShape);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.Create(start.Compilation) is { } known)
            {
                start.RegisterSymbolAction(c => AnalyzeType(c, known), SymbolKind.NamedType);
                start.RegisterSymbolAction(c => AnalyzeActivity(c, known), SymbolKind.Method);
            }
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, KnownSymbols known)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!known.IsWorkflow(type))
        {
            return;
        }

        var at = type.Locations[0];
        if (type.IsAbstract || type.IsGenericType)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.DefinitionShape, at, $"Workflow {type.Name} must be a concrete, non-generic class"));
        }
        else if (!type.InstanceConstructors.Any(c => c.Parameters.IsEmpty && c.DeclaredAccessibility == Accessibility.Public))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.DefinitionShape, at,
                $"Workflow {type.Name} needs a public parameterless constructor: workflows are re-created on every replay and take no services (call activities for I/O)"));
        }

        var methods = type.GetMembers().OfType<IMethodSymbol>().ToList();
        var runs = methods.Where(m => KnownSymbols.HasAttribute(m, known.WorkflowRunAttribute)).ToList();
        var publicRuns = runs.Count(m => m is { DeclaredAccessibility: Accessibility.Public, IsStatic: false });
        if (publicRuns != 1)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.RunMethodCount, at, type.Name, publicRuns));
        }

        foreach (var run in runs)
        {
            if (run.Parameters.Length > 1)
            {
                context.ReportDiagnostic(Diagnostic.Create(Rules.RunParameters, run.Locations[0], $"{type.Name}.{run.Name}", run.Parameters.Length));
            }

            if (!IsTask(run.ReturnType, known))
            {
                Shape(context, run, $"{type.Name}.{run.Name} ([WorkflowRun]) must return Task or Task<T>");
            }
        }

        foreach (var member in type.GetMembers().Where(known.IsEntryPoint))
        {
            if (member is IMethodSymbol method)
            {
                CheckHandler(context, known, type, method);
            }
        }
    }

    private static void CheckHandler(SymbolAnalysisContext context, KnownSymbols known, INamedTypeSymbol type, IMethodSymbol method)
    {
        var name = $"{type.Name}.{method.Name}";
        if (method.Parameters.Any(p => KnownSymbols.Is(p.Type, known.CancellationToken)))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.CancellationTokenParameter, method.Locations[0], name));
        }

        var isRun = KnownSymbols.HasAttribute(method, known.WorkflowRunAttribute);
        if (!isRun && method.Parameters.Length > 1)
        {
            Shape(context, method, $"{name} takes {method.Parameters.Length} parameters; a handler takes at most one (wrap several values in a record)");
        }

        if (!isRun && (method.IsStatic || method.DeclaredAccessibility != Accessibility.Public))
        {
            Shape(context, method, $"{name} must be a public instance method: the engine calls handlers on the workflow object");
        }

        if (KnownSymbols.HasAttribute(method, known.WorkflowSignalAttribute) && !method.ReturnsVoid && !KnownSymbols.Is(method.ReturnType, known.Task))
        {
            Shape(context, method, $"Signal handler {name} must return void or Task: a signal has no result (use an update for that)");
        }

        if (KnownSymbols.HasAttribute(method, known.WorkflowQueryAttribute) && (method.ReturnsVoid || IsTask(method.ReturnType, known)))
        {
            Shape(context, method, $"Query {name} must return a value synchronously: queries read state and cannot wait");
        }

        if (KnownSymbols.HasAttribute(method, known.WorkflowUpdateAttribute) && !IsTask(method.ReturnType, known))
        {
            Shape(context, method, $"Update handler {name} must return Task or Task<T>");
        }

        if (method.GetAttributes().FirstOrDefault(a => KnownSymbols.Is(a.AttributeClass, known.WorkflowUpdateValidatorAttribute)) is { } validator)
        {
            var target = validator.ConstructorArguments.FirstOrDefault().Value as string;
            var update = type.GetMembers(target ?? "").OfType<IMethodSymbol>().FirstOrDefault(m => KnownSymbols.HasAttribute(m, known.WorkflowUpdateAttribute));
            if (update is null)
            {
                Shape(context, method, $"Validator {name} names update method '{target}', which is not a [WorkflowUpdate] method of {type.Name}");
            }
            else if (!method.ReturnsVoid || !method.Parameters.Select(p => p.Type).SequenceEqual(update.Parameters.Select(p => p.Type), SymbolEqualityComparer.Default))
            {
                Shape(context, method, $"Validator {name} must return void and take the same parameters as {update.Name}");
            }
        }
    }

    private static void AnalyzeActivity(SymbolAnalysisContext context, KnownSymbols known)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (!KnownSymbols.HasAttribute(method, known.ActivityAttribute))
        {
            return;
        }

        var name = $"{method.ContainingType.Name}.{method.Name}";
        if (method.IsStatic || method.IsGenericMethod)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.DefinitionShape, method.Locations[0], $"Activity {name} must be a non-generic instance method"));
        }

        if (method.Parameters.Any(p => p.RefKind is RefKind.Ref or RefKind.Out))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.DefinitionShape, method.Locations[0],
                $"Activity {name} has a ref/out parameter; arguments travel as JSON, so use plain parameters"));
        }

        if (method.ContainingType is { IsAbstract: true } or { IsGenericType: true })
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.DefinitionShape, method.Locations[0], $"Activity class {method.ContainingType.Name} must be a concrete, non-generic class"));
        }
    }

    private static bool IsTask(ITypeSymbol type, KnownSymbols known) => KnownSymbols.Is(type, known.Task) || KnownSymbols.Is(type, known.GenericTask);

    private static void Shape(SymbolAnalysisContext context, IMethodSymbol method, string message) =>
        context.ReportDiagnostic(Diagnostic.Create(Rules.HandlerShape, method.Locations[0], message));
}
