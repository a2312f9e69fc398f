using System.Linq;
using Microsoft.CodeAnalysis;

namespace ServerlessFlow.Generators;

/// <summary>
/// The naming rules of ServerlessFlow's registry (DefinitionNames), as the generator must apply them for a stub to find
/// its target: an attribute's name, or the member's name without "Async"; a workflow's type name is its class name.
/// </summary>
internal static class Naming
{
    public const string WorkflowAttribute = "ServerlessFlow.WorkflowAttribute";
    public const string ActivityAttribute = "ServerlessFlow.ActivityAttribute";
    public const string WorkflowRunAttribute = "ServerlessFlow.WorkflowRunAttribute";
    public const string SignalAttribute = "ServerlessFlow.WorkflowSignalAttribute";
    public const string QueryAttribute = "ServerlessFlow.WorkflowQueryAttribute";
    public const string UpdateAttribute = "ServerlessFlow.WorkflowUpdateAttribute";
    public const string UpdateValidatorAttribute = "ServerlessFlow.WorkflowUpdateValidatorAttribute";

    /// <summary>Fully qualified, with nullable annotations, so generated code means the same type wherever it is placed.</summary>
    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static string StripAsync(string name) => name.EndsWith("Async", System.StringComparison.Ordinal) && name.Length > 5 ? name.Substring(0, name.Length - 5) : name;

    public static string Type(ITypeSymbol type) => type.ToDisplayString(TypeFormat);

    /// <summary>The type as <c>typeof</c> takes it: fully qualified, without nullable reference annotations (which typeof refuses).</summary>
    public static string TypeOf(ITypeSymbol type) => $"typeof({type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)})";

    /// <summary>
    /// The public instance members of the class and of its base classes (not object), as reflection lists them: an overridden
    /// member once, as its most derived override declares it.
    /// </summary>
    public static System.Collections.Generic.List<ISymbol> PublicInstanceMembers(INamedTypeSymbol type)
    {
        var members = new System.Collections.Generic.List<ISymbol>();
        var overridden = new System.Collections.Generic.HashSet<ISymbol>(SymbolEqualityComparer.Default);
        for (var current = type; current is { SpecialType: not SpecialType.System_Object }; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member.IsStatic || member.DeclaredAccessibility != Microsoft.CodeAnalysis.Accessibility.Public || overridden.Contains(member.OriginalDefinition))
                {
                    continue;
                }

                switch (member)
                {
                    case IMethodSymbol { OverriddenMethod: { } baseMethod }:
                        overridden.Add(baseMethod.OriginalDefinition);
                        break;
                    case IPropertySymbol { OverriddenProperty: { } baseProperty }:
                        overridden.Add(baseProperty.OriginalDefinition);
                        break;
                }

                members.Add(member);
            }
        }

        return members;
    }

    /// <summary>The name given in the attribute's first constructor argument, or null.</summary>
    public static string? AttributeName(AttributeData attribute) =>
        attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string : null;

    public static AttributeData? Find(ISymbol symbol, string attributeName) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == attributeName);

    /// <summary>"public" when the class is visible outside its assembly, "internal" when only inside; null when a stub could not name it.</summary>
    public static string? Accessibility(INamedTypeSymbol type)
    {
        var visibility = "public";
        for (ISymbol? current = type; current is INamedTypeSymbol named; current = current.ContainingType)
        {
            switch (named.DeclaredAccessibility)
            {
                case Microsoft.CodeAnalysis.Accessibility.Public:
                    break;
                case Microsoft.CodeAnalysis.Accessibility.Internal:
                case Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal:
                    visibility = "internal";
                    break;
                default:
                    return null;
            }
        }

        return visibility;
    }

    public static Placement? PlacementOf(INamedTypeSymbol type) =>
        Accessibility(type) is { } accessibility && !type.IsGenericType
            ? new Placement(type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString(), accessibility)
            : null;

    /// <summary>
    /// What awaiting a call of a method with this return type gives: null for nothing (void, Task, ValueTask), T for
    /// Task&lt;T&gt; and ValueTask&lt;T&gt;, and the type itself for a synchronous result.
    /// </summary>
    public static string? ResultOf(ITypeSymbol returnType)
    {
        if (returnType.SpecialType == SpecialType.System_Void)
        {
            return null;
        }

        if (returnType is INamedTypeSymbol { ContainingNamespace: { } ns } named && ns.ToDisplayString() == "System.Threading.Tasks"
            && named.Name is "Task" or "ValueTask")
        {
            return named.TypeArguments.Length == 1 ? Type(named.TypeArguments[0]) : null;
        }

        return Type(returnType);
    }

    /// <summary>An identifier as written in generated code: verbatim, so a parameter named like a keyword still compiles.</summary>
    public static string Identifier(string name) => "@" + name;
}
