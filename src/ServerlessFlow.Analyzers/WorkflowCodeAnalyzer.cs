using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ServerlessFlow.Analyzers;

/// <summary>
/// Reports non-deterministic code in workflows: everything reachable, within a [Workflow] class, from its
/// run, signal, query, update and validator methods, its constructors and its field initializers.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WorkflowCodeAnalyzer : DiagnosticAnalyzer
{
    private static readonly OperationKind[] Kinds =
    [
        OperationKind.Invocation, OperationKind.PropertyReference, OperationKind.FieldReference, OperationKind.ObjectCreation,
        OperationKind.MethodReference, OperationKind.Lock, OperationKind.AnonymousFunction, OperationKind.Loop,
    ];

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Rules.CurrentTime, Rules.NewGuid, Rules.Delay, Rules.ThreadsAndTasks, Rules.InputOutput, Rules.EnvironmentAccess,
        Rules.ReplayUnsafeLogging, Rules.UnboundedLoop, Rules.RandomNumbers, Rules.Stopwatch, Rules.ConfigureAwaitFalse,
        Rules.AsyncVoid, Rules.StaticMutableState, Rules.Locks, Rules.NonWorkflowTasks, Rules.DirectActivityCall);

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

            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    var type = (INamedTypeSymbol)symbolStart.Symbol;
                    if (!known.IsWorkflow(type))
                    {
                        return;
                    }

                    var scan = new Scan(type, new WorkflowCodeChecks(known, type));
                    symbolStart.RegisterOperationAction(scan.Visit, Kinds);
                    symbolStart.RegisterSymbolEndAction(scan.Report);
                },
                SymbolKind.NamedType);
        });
    }

    /// <summary>What one workflow class does, member by member, and which members call which.</summary>
    private sealed class Scan(INamedTypeSymbol workflow, WorkflowCodeChecks checks)
    {
        private readonly ConcurrentDictionary<ISymbol, ConcurrentBag<Diagnostic>> findings = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ISymbol, ConcurrentBag<ISymbol>> calls = new(SymbolEqualityComparer.Default);

        public void Visit(OperationAnalysisContext context)
        {
            foreach (var callee in Callees(context.Operation))
            {
                calls.GetOrAdd(context.ContainingSymbol, _ => []).Add(callee);
            }

            foreach (var diagnostic in checks.Check(context.Operation))
            {
                findings.GetOrAdd(context.ContainingSymbol, _ => []).Add(diagnostic);
            }
        }

        public void Report(SymbolAnalysisContext context)
        {
            foreach (var member in Reachable())
            {
                if (findings.TryGetValue(member, out var found))
                {
                    foreach (var diagnostic in found.OrderBy(d => d.Location.SourceSpan.Start))
                    {
                        context.ReportDiagnostic(diagnostic);
                    }
                }

                if (member is IMethodSymbol { IsAsync: true, ReturnsVoid: true } asyncVoid)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Rules.AsyncVoid, asyncVoid.Locations[0], asyncVoid.Name, workflow.Name));
                }
            }
        }

        private HashSet<ISymbol> Reachable()
        {
            // Initializers (keyed by their field or property) and constructors run for every replay; handlers are what the engine calls.
            var roots = workflow.GetMembers().SelectMany(m =>
                checks.Known.IsEntryPoint(m) ? Expand(m)
                : m is IFieldSymbol or IPropertySymbol or IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } ? [m]
                : []);
            var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            var work = new Stack<ISymbol>(roots);
            while (work.Count > 0)
            {
                var next = work.Pop();
                if (!seen.Add(next))
                {
                    continue;
                }

                if (calls.TryGetValue(next, out var callees))
                {
                    foreach (var callee in callees.SelectMany(Expand))
                    {
                        work.Push(callee);
                    }
                }
            }

            return seen;
        }

        /// <summary>A used property stands for its initializer (keyed by the property) and both accessors.</summary>
        private static IEnumerable<ISymbol> Expand(ISymbol member)
        {
            if (member is IPropertySymbol property)
            {
                yield return property;
                if (property.GetMethod is { } getter)
                {
                    yield return getter;
                }

                if (property.SetMethod is { } setter)
                {
                    yield return setter;
                }
            }
            else
            {
                yield return member;
            }
        }

        private IEnumerable<ISymbol> Callees(IOperation operation)
        {
            ISymbol? target = operation switch
            {
                IInvocationOperation invocation => invocation.TargetMethod,
                IMethodReferenceOperation reference => reference.Method,
                IPropertyReferenceOperation reference => reference.Property,
                IObjectCreationOperation creation => creation.Constructor,
                _ => null,
            };
            if (target?.OriginalDefinition is { } definition && SymbolEqualityComparer.Default.Equals(definition.ContainingType, workflow))
            {
                yield return definition;
            }
        }
    }
}
