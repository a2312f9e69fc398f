using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ServerlessFlow.Generators;

/// <summary>
/// Reads how the worker calls a member — the <c>MemberInvoker</c> factory its return type needs and each parameter's read from
/// the call's arguments — the way the engine's reflection invoker binds them: a CancellationToken parameter gets the call's
/// token and takes no argument; an activity's missing argument takes the parameter's default value.
/// </summary>
internal static class MemberCalls
{
    private const string Token = "System.Threading.CancellationToken";

    /// <param name="method">The method.</param>
    /// <param name="withDefaults">True for an activity, whose missing arguments take their parameters' defaults; a workflow member's read as default.</param>
    public static MemberCall Of(IMethodSymbol method, bool withDefaults)
    {
        var reads = ImmutableArray.CreateBuilder<string>();
        var types = ImmutableArray.CreateBuilder<string>();
        var next = 0;
        foreach (var parameter in method.Parameters)
        {
            if (parameter.Type.ToDisplayString() == Token)
            {
                reads.Add("cancellationToken");
                continue;
            }

            var type = Naming.Type(parameter.Type);
            types.Add(Naming.TypeOf(parameter.Type));
            reads.Add(withDefaults && parameter.HasExplicitDefaultValue
                ? $"arguments.Get<{type}>({next++}, {DefaultValue(parameter)})"
                : $"arguments.Get<{type}>({next++})");
        }

        return new MemberCall(
            method.Name, IsProperty: false, Factory(method.ReturnType), new EquatableArray<string>(reads.ToImmutable()), new EquatableArray<string>(types.ToImmutable()));
    }

    /// <summary>A query property: read, with no arguments.</summary>
    public static MemberCall Of(IPropertySymbol property) =>
        new(property.Name, IsProperty: true, $"FromResult<{Naming.Type(property.Type)}>", new EquatableArray<string>(ImmutableArray<string>.Empty),
            new EquatableArray<string>(ImmutableArray<string>.Empty));

    /// <summary>The invoker expression: <c>MemberInvoker.FromTask&lt;T&gt;(static (instance, arguments, cancellationToken) =&gt; ((C)instance).M(...))</c>.</summary>
    public static string Invoker(string fullType, MemberCall call)
    {
        var target = $"(({fullType})instance).{Naming.Identifier(call.Member)}";
        var body = call.IsProperty ? target : $"{target}({string.Join(", ", call.Arguments)})";
        var types = string.Concat(call.ParameterTypes.Select(t => ", " + t));
        return $"global::ServerlessFlow.Invocation.MemberInvoker.{call.Factory}(static (instance, arguments, cancellationToken) => {body}{types})";
    }

    private static string Factory(ITypeSymbol returnType)
    {
        if (returnType.SpecialType == SpecialType.System_Void)
        {
            return "FromAction";
        }

        if (returnType is INamedTypeSymbol { ContainingNamespace: { } ns } named && ns.ToDisplayString() == "System.Threading.Tasks"
            && named.Name is "Task" or "ValueTask")
        {
            return named.TypeArguments.Length == 1 ? $"From{named.Name}<{Naming.Type(named.TypeArguments[0])}>" : $"From{named.Name}";
        }

        return $"FromResult<{Naming.Type(returnType)}>";
    }

    /// <summary>The parameter's default value as C#, typed as the parameter (an enum's or a number's value cast to it).</summary>
    private static string DefaultValue(IParameterSymbol parameter)
    {
        var value = parameter.ExplicitDefaultValue;
        if (value is null)
        {
            return "default!";
        }

        var type = Naming.Type(parameter.Type);
        var literal = value switch
        {
            string or char or bool => SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false),
            double d when double.IsNaN(d) || double.IsInfinity(d) => double.IsNaN(d) ? "double.NaN" : d > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity",
            float f when float.IsNaN(f) || float.IsInfinity(f) => float.IsNaN(f) ? "float.NaN" : f > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity",
            decimal m => m.ToString(CultureInfo.InvariantCulture) + "m",
            double d => d.ToString("R", CultureInfo.InvariantCulture) + "d",
            float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
            ulong u => u.ToString(CultureInfo.InvariantCulture) + "UL",
            long l => l.ToString(CultureInfo.InvariantCulture) + "L",
            uint u => u.ToString(CultureInfo.InvariantCulture) + "U",
            _ => System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "default",
        };
        return $"({type})({literal})";
    }
}
