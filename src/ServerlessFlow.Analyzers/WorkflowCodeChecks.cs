using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ServerlessFlow.Analyzers;

/// <summary>The determinism rules for one operation of workflow code.</summary>
internal sealed class WorkflowCodeChecks(KnownSymbols known, INamedTypeSymbol workflow)
{
    private const string WorkflowApi = "global::ServerlessFlow.Workflow";

    public KnownSymbols Known { get; } = known;

    public IEnumerable<Diagnostic> Check(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => Invocation(invocation),
        IPropertyReferenceOperation property => Property(property),
        IFieldReferenceOperation field => Field(field),
        IObjectCreationOperation creation => Creation(creation),
        ILockOperation => [Report(Rules.Locks, operation, "lock")],
        IAnonymousFunctionOperation { Symbol: { IsAsync: true, ReturnsVoid: true } } => [Report(Rules.AsyncVoid, operation, "async lambda returning void")],
        ILoopOperation loop => Loop(loop),
        _ => [],
    };

    private IEnumerable<Diagnostic> Invocation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        var name = $"{type?.Name}.{method.Name}";
        if (KnownSymbols.Is(type, Known.Guid) && method.Name is "NewGuid" or "CreateVersion7")
        {
            yield return Report(Rules.NewGuid, invocation, name, Fix($"{WorkflowApi}.NewGuid()", "Use Workflow.NewGuid()"));
        }
        else if (KnownSymbols.Is(type, Known.Task) && method.Name == "Delay")
        {
            yield return Report(Rules.Delay, invocation, name, DelayFix(invocation));
        }
        else if (KnownSymbols.Is(type, Known.Thread) && method.Name is "Sleep" or "SpinWait")
        {
            yield return Report(Rules.Delay, invocation, name);
        }
        else if ((KnownSymbols.Is(type, Known.Task) && method.Name is "Run" or "Start" or "Wait" or "WaitAll" or "WaitAny" or "RunSynchronously")
            || KnownSymbols.Is(type, Known.TaskFactory) || KnownSymbols.Is(type, Known.Thread))
        {
            yield return Report(Rules.ThreadsAndTasks, invocation, name);
        }
        else if (KnownSymbols.Is(type, Known.Task) && method.Name is "WhenAll" or "WhenAny")
        {
            foreach (var outside in NonWorkflowTasks(invocation))
            {
                yield return Report(Rules.NonWorkflowTasks, outside, name, Describe(outside));
            }
        }
        else if (KnownSymbols.Is(type, Known.Environment))
        {
            yield return Report(Rules.EnvironmentAccess, invocation, name);
        }
        else if (method.Name == "ConfigureAwait" && Known.IsAwaitable(type) && !IsConstant(invocation.Arguments, true))
        {
            var receiver = invocation.Instance?.Syntax.ToString() ?? "";
            yield return Report(Rules.ConfigureAwaitFalse, invocation, $"ConfigureAwait({invocation.Arguments[0].Syntax})", Fix(receiver, "Remove ConfigureAwait"));
        }
        else if (IsLogging(method) && !IsGuardedByReplayCheck(invocation.Syntax) && !LogsThroughWorkflowLogger(invocation))
        {
            yield return Report(Rules.ReplayUnsafeLogging, invocation, name);
        }
        else if (KnownSymbols.HasAttribute(method.OriginalDefinition, Known.ActivityAttribute) && !InExpressionTree(invocation))
        {
            yield return Report(Rules.DirectActivityCall, invocation, name, method.Name);
        }
        else if (Known.RuleForType(type) is { } rule)
        {
            yield return Report(rule, invocation, name);
        }
    }

    private IEnumerable<Diagnostic> Property(IPropertyReferenceOperation reference)
    {
        var property = reference.Property;
        var type = property.ContainingType;
        var name = $"{type?.Name}.{property.Name}";
        if (KnownSymbols.Is(type, Known.DateTime) && property.Name is "Now" or "UtcNow" or "Today")
        {
            var replacement = property.Name == "Today" ? $"{WorkflowApi}.UtcNow.Date" : $"{WorkflowApi}.UtcNow";
            yield return Report(Rules.CurrentTime, reference, name, Fix(replacement, "Use Workflow.UtcNow"));
        }
        else if (KnownSymbols.Is(type, Known.DateTimeOffset) && property.Name is "Now" or "UtcNow")
        {
            yield return Report(Rules.CurrentTime, reference, name, Fix($"new global::System.DateTimeOffset({WorkflowApi}.UtcNow)", "Use Workflow.UtcNow"));
        }
        else if (KnownSymbols.Is(type, Known.TimeProvider) && property.Name == "System")
        {
            yield return Report(Rules.CurrentTime, reference, name);
        }
        else if (KnownSymbols.Is(type, Known.Random) && property.Name == "Shared")
        {
            yield return Report(Rules.RandomNumbers, reference, name, Fix($"{WorkflowApi}.Random", "Use Workflow.Random"));
        }
        else if (KnownSymbols.Is(type, Known.Task) && property.Name == "Factory" || KnownSymbols.Is(type, Known.TaskScheduler) && property.Name == "Default")
        {
            yield return Report(Rules.ThreadsAndTasks, reference, name);
        }
        else if (KnownSymbols.Is(type, Known.Environment) && property.Name != "NewLine")
        {
            yield return Report(Rules.EnvironmentAccess, reference, name);
        }
        else if (property.IsStatic && property.SetMethod is not null && IsAutoPropertyInSource(property))
        {
            yield return Report(Rules.StaticMutableState, reference, name);
        }
        else if (property.IsStatic && Known.RuleForType(type) is { } rule)
        {
            yield return Report(rule, reference, name);
        }
    }

    private IEnumerable<Diagnostic> Field(IFieldReferenceOperation reference)
    {
        var field = reference.Field;
        if (field is { IsStatic: true, IsReadOnly: false, IsConst: false } && field.ContainingType?.TypeKind != TypeKind.Enum && !field.IsImplicitlyDeclared)
        {
            yield return Report(Rules.StaticMutableState, reference, $"{field.ContainingType?.Name}.{field.Name}");
        }
    }

    private IEnumerable<Diagnostic> Creation(IObjectCreationOperation creation)
    {
        var type = creation.Type;
        if (KnownSymbols.Is(type, Known.Random) && creation.Arguments.Length == 0)
        {
            yield return Report(Rules.RandomNumbers, creation, "new Random()", Fix($"{WorkflowApi}.Random", "Use Workflow.Random"));
        }
        else if (KnownSymbols.Is(type, Known.Thread))
        {
            yield return Report(Rules.ThreadsAndTasks, creation, "new Thread");
        }
        else if (Known.RuleForType(type) is { } rule)
        {
            yield return Report(rule, creation, $"new {type?.Name}");
        }
    }

    private IEnumerable<Diagnostic> Loop(ILoopOperation loop)
    {
        var endless = loop switch
        {
            IWhileLoopOperation { Condition: null } => true,
            IWhileLoopOperation { Condition.ConstantValue: { HasValue: true, Value: true } } => true,
            IForLoopOperation { Condition: null } => true,
            IForLoopOperation { Condition.ConstantValue: { HasValue: true, Value: true } } => true,
            _ => false,
        };
        if (!endless)
        {
            yield break;
        }

        var workflowCalls = loop.Body.Descendants().OfType<IInvocationOperation>().Where(i => KnownSymbols.Is(i.TargetMethod.ContainingType, Known.Workflow)).ToList();
        var recordsHistory = workflowCalls.Any(i => i.TargetMethod.Name is "ExecuteActivityAsync" or "ExecuteLocalActivityAsync" or "ExecuteChildWorkflowAsync" or "StartChildWorkflowAsync" or "DelayAsync" or "WaitConditionAsync");
        var continuesAsNew = workflowCalls.Any(i => i.TargetMethod.Name == "CreateContinueAsNewException");
        if (recordsHistory && !continuesAsNew)
        {
            yield return Diagnostic.Create(Rules.UnboundedLoop, LoopKeyword(loop), workflow.Name);
        }
    }

    /// <summary>The tasks given to WhenAll/WhenAny that come from library code rather than from Workflow APIs or workflow methods.</summary>
    private IEnumerable<IOperation> NonWorkflowTasks(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            var elements = Unwrap(argument.Value) switch
            {
                IArrayCreationOperation { Initializer: { } initializer } => initializer.ElementValues,
                ICollectionExpressionOperation collection => collection.Elements,
                // A single task; a sequence built otherwise (a LINQ Select, a list) is not followed.
                var single => Known.IsAwaitable(single.Type) ? ImmutableArray.Create(single) : ImmutableArray<IOperation>.Empty,
            };
            foreach (var element in elements)
            {
                var source = Origin(Unwrap(element));
                if (source is IInvocationOperation call && !IsWorkflowTask(call.TargetMethod))
                {
                    yield return element;
                }
            }
        }
    }

    private bool IsWorkflowTask(IMethodSymbol method) =>
        KnownSymbols.Is(method.ContainingType, Known.Workflow)
        || IsWorkflowSideHandle(method.ContainingType)
        || method.ContainingType is null
        || method.Locations.Any(l => l.IsInSource) // workflow methods and user helpers: their own code is checked where it is
        || (KnownSymbols.Is(method.ContainingType, Known.Task) && method.Name is "FromResult" or "FromException" or "FromCanceled" or "WhenAll" or "WhenAny");

    /// <summary>Child and external workflow handles (got from Workflow APIs): their tasks are recorded in history like the Workflow API's own.</summary>
    private static bool IsWorkflowSideHandle(INamedTypeSymbol? type) =>
        type is { Name: "ChildWorkflowHandle" or "ExternalWorkflowHandle", ContainingNamespace: { Name: "ServerlessFlow", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>For a local initialized once, the operation that produced its value.</summary>
    private static IOperation Origin(IOperation operation)
    {
        if (operation is ILocalReferenceOperation local && operation.SemanticModel is { } model
            && local.Local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } value })
        {
            return model.GetOperation(value) is { } initializer ? Unwrap(initializer) : operation;
        }

        return operation;
    }

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private static string Describe(IOperation element) => Origin(Unwrap(element)) is IInvocationOperation call
        ? $"{call.TargetMethod.ContainingType?.Name}.{call.TargetMethod.Name}"
        : element.Syntax.ToString();

    private bool IsLogging(IMethodSymbol method) =>
        KnownSymbols.Is(method.ContainingType, Known.LoggerExtensions)
        || (Known.Logger is { } logger && method.Name == "Log" && (KnownSymbols.Is(method.ContainingType, logger) || method.ContainingType.AllInterfaces.Contains(logger, SymbolEqualityComparer.Default)));

    /// <summary>True when the logger is <c>Workflow.Logger</c>, which is silent while replaying.</summary>
    private bool LogsThroughWorkflowLogger(IInvocationOperation invocation)
    {
        var logger = invocation.Instance ?? (invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
        return logger is not null
            && Origin(Unwrap(logger)) is IPropertyReferenceOperation { Property.Name: "Logger" } property
            && KnownSymbols.Is(property.Property.ContainingType, Known.Workflow);
    }

    private static bool IsGuardedByReplayCheck(SyntaxNode node) =>
        node.Ancestors().OfType<IfStatementSyntax>().Any(i => i.Condition.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(n => n.Identifier.Text == "IsReplaying")
            && i.Statement.Span.Contains(node.Span));

    /// <summary>True when the call is inside a lambda converted to an expression tree (it describes the call; it does not run it).</summary>
    private bool InExpressionTree(IOperation operation) =>
        operation.SemanticModel is { } model && operation.Syntax.Ancestors().OfType<LambdaExpressionSyntax>()
            .Any(l => KnownSymbols.Is(model.GetTypeInfo(l).ConvertedType, Known.ExpressionOfT));

    private static bool IsConstant(ImmutableArray<IArgumentOperation> arguments, bool value) =>
        arguments.Length == 1 && arguments[0].Value.ConstantValue is { HasValue: true } constant && Equals(constant.Value, value);

    private static bool IsAutoPropertyInSource(IPropertySymbol property) =>
        property.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<PropertyDeclarationSyntax>()
            .Any(p => p.AccessorList?.Accessors.All(a => a.Body is null && a.ExpressionBody is null) == true);

    private ImmutableDictionary<string, string?>? DelayFix(IInvocationOperation delay)
    {
        if (delay.Arguments.Length == 0 || delay.Arguments.Any(a => a.Parameter?.Type.Name == "TimeProvider"))
        {
            return null;
        }

        var first = delay.Arguments[0];
        var duration = KnownSymbols.Is(first.Parameter?.Type, Known.TimeSpan) ? first.Value.Syntax.ToString() : $"global::System.TimeSpan.FromMilliseconds({first.Value.Syntax})";
        var rest = delay.Arguments.Skip(1).Select(a => ", " + a.Value.Syntax);
        return Fix($"{WorkflowApi}.DelayAsync({duration}{string.Concat(rest)})", "Use Workflow.DelayAsync");
    }

    private static ImmutableDictionary<string, string?> Fix(string replacement, string title) =>
        ImmutableDictionary<string, string?>.Empty.Add(FixProperties.Replacement, replacement).Add(FixProperties.Title, title);

    private Diagnostic Report(DiagnosticDescriptor rule, IOperation at, string what, ImmutableDictionary<string, string?>? fix = null) =>
        Diagnostic.Create(rule, at.Syntax.GetLocation(), fix, what, workflow.Name);

    private Diagnostic Report(DiagnosticDescriptor rule, IOperation at, string what, string extra) =>
        Diagnostic.Create(rule, at.Syntax.GetLocation(), what, workflow.Name, extra);

    private static Location LoopKeyword(ILoopOperation loop) => loop.Syntax switch
    {
        WhileStatementSyntax w => w.WhileKeyword.GetLocation(),
        ForStatementSyntax f => f.ForKeyword.GetLocation(),
        _ => loop.Syntax.GetLocation(),
    };
}
