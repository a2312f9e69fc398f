using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ServerlessFlow.Generators;

/// <summary>
/// Writes typed, reflection-free call stubs for every [Workflow] class and every class with [Activity] methods, and one
/// registration method listing them all (when the project references the engine). See docs/source-generator.md.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class WorkflowCallsGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var workflows = context.SyntaxProvider.ForAttributeWithMetadataName(
                Naming.WorkflowAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (syntax, cancellationToken) => ReadWorkflow((INamedTypeSymbol)syntax.TargetSymbol, cancellationToken))
            .Where(static model => model is not null)
            .Select(static (model, _) => model!);

        // [Activity] sits on methods: each gives the model of its whole class (no symbols kept, so unchanged code is not
        // rewritten), one per class.
        var activities = context.SyntaxProvider.ForAttributeWithMetadataName(
                Naming.ActivityAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (syntax, _) => ReadActivities(((IMethodSymbol)syntax.TargetSymbol).ContainingType))
            .Where(static model => model is not null)
            .Collect()
            .SelectMany(static (models, _) => models.GroupBy(m => m!.FullType).Select(g => g.First()!).ToImmutableArray());

        context.RegisterSourceOutput(workflows, static (output, workflow) =>
            output.AddSource($"{Hint(workflow.Placement, workflow.ClassName)}.WorkflowCalls.g.cs", WorkflowCallsWriter.Write(workflow)));
        context.RegisterSourceOutput(activities, static (output, activityClass) =>
            output.AddSource($"{Hint(activityClass.Placement, activityClass.ClassName)}.ActivityCalls.g.cs", ActivityCallsWriter.Write(activityClass)));

        var registration = workflows.Collect().Combine(activities.Collect()).Combine(context.CompilationProvider.Select(static (compilation, _) =>
            compilation.GetTypeByMetadataName(RegistrationWriter.BuilderType) is null ? null : compilation.AssemblyName));
        context.RegisterSourceOutput(registration, static (output, input) =>
        {
            var ((workflowClasses, activityClasses), assembly) = input;
            if (assembly is not null && (workflowClasses.Length > 0 || activityClasses.Length > 0))
            {
                output.AddSource("GeneratedWorkflowRegistration.g.cs", RegistrationWriter.Write(assembly, workflowClasses, activityClasses));
            }
        });
    }

    private static string Hint(Placement placement, string className) => placement.Namespace.Length == 0 ? className : $"{placement.Namespace}.{className}";

    private static WorkflowClass? ReadWorkflow(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (Naming.PlacementOf(type) is not { } placement || type.IsAbstract)
        {
            return null;
        }

        var members = Naming.PublicInstanceMembers(type);
        var runs = members.OfType<IMethodSymbol>().Where(m => Naming.Find(m, Naming.WorkflowRunAttribute) is not null).ToList();
        if (runs.Count != 1 || runs[0].Parameters.Length > 1)
        {
            return null; // the definition analyzer reports it; a stub for a definition the registry refuses would only mislead
        }

        var run = runs[0];
        cancellationToken.ThrowIfCancellationRequested();
        var handlers = ImmutableArray.CreateBuilder<Handler>();
        foreach (var member in members)
        {
            if (ReadHandler(member) is { } handler)
            {
                handlers.Add(handler);
            }
        }

        var typeName = Naming.AttributeName(Naming.Find(type, Naming.WorkflowAttribute)!) ?? type.Name;
        var input = run.Parameters.Length == 1 ? new Parameter(run.Parameters[0].Name, Naming.Type(run.Parameters[0].Type)) : null;
        var validators = ReadValidators(members, handlers).ToImmutableArray();
        var invocable = type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public)
            && handlers.GroupBy(h => (h.Kind, h.RegisteredName)).All(g => g.Count() == 1)
            && validators.GroupBy(v => v.UpdateName).All(g => g.Count() == 1);
        return new WorkflowClass(
            placement, type.Name, Naming.Type(type), typeName, input, Naming.ResultOf(run.ReturnType), new EquatableArray<Handler>(handlers.ToImmutable()),
            invocable, MemberCalls.Of(run, withDefaults: false), new EquatableArray<Validator>(validators), FailureExceptionTypes(type));
    }

    /// <summary>The <c>typeof</c> of each type in the class's <c>[Workflow(FailureExceptionTypes = …)]</c>.</summary>
    private static EquatableArray<string> FailureExceptionTypes(INamedTypeSymbol type)
    {
        var named = Naming.Find(type, Naming.WorkflowAttribute)!.NamedArguments.FirstOrDefault(a => a.Key == "FailureExceptionTypes").Value;
        return new EquatableArray<string>(named.Kind == TypedConstantKind.Array
            ? named.Values.Select(v => v.Value).OfType<ITypeSymbol>().Select(Naming.TypeOf).ToImmutableArray()
            : ImmutableArray<string>.Empty);
    }

    /// <summary>Validators by the registered name of their update, as the registry pairs them: the first update whose method the attribute names.</summary>
    private static System.Collections.Generic.IEnumerable<Validator> ReadValidators(System.Collections.Generic.List<ISymbol> members, ImmutableArray<Handler>.Builder handlers)
    {
        foreach (var method in members.OfType<IMethodSymbol>())
        {
            if (Naming.Find(method, Naming.UpdateValidatorAttribute) is { } attribute && Naming.AttributeName(attribute) is { } target
                && handlers.FirstOrDefault(h => h.Kind == HandlerKind.Update && h.Call.Member == target) is { } update)
            {
                yield return new Validator(update.RegisteredName, MemberCalls.Of(method, withDefaults: false));
            }
        }
    }

    private static Handler? ReadHandler(ISymbol member)
    {
        foreach (var (attributeName, kind) in new[] { (Naming.SignalAttribute, HandlerKind.Signal), (Naming.QueryAttribute, HandlerKind.Query), (Naming.UpdateAttribute, HandlerKind.Update) })
        {
            if (Naming.Find(member, attributeName) is not { } attribute)
            {
                continue;
            }

            var stubName = Naming.StripAsync(member.Name);
            var registeredName = Naming.AttributeName(attribute) ?? stubName;
            return member switch
            {
                IPropertySymbol property when kind == HandlerKind.Query => new Handler(kind, stubName, registeredName, null, Naming.Type(property.Type), MemberCalls.Of(property)),
                IMethodSymbol { Parameters.Length: <= 1, IsGenericMethod: false } method => new Handler(
                    kind, stubName, registeredName,
                    method.Parameters.Length == 1 ? new Parameter(method.Parameters[0].Name, Naming.Type(method.Parameters[0].Type)) : null,
                    Naming.ResultOf(method.ReturnType), MemberCalls.Of(method, withDefaults: false)),
                _ => null,
            };
        }

        return null;
    }

    private static ActivityClass? ReadActivities(INamedTypeSymbol type)
    {
        if (Naming.PlacementOf(type) is not { } placement || type.IsAbstract)
        {
            return null; // the registry refuses these; the definition analyzer says why
        }

        var methods = ImmutableArray.CreateBuilder<ActivityMethod>();
        foreach (var method in Naming.PublicInstanceMembers(type).OfType<IMethodSymbol>())
        {
            if (Naming.Find(method, Naming.ActivityAttribute) is { } attribute && !method.IsGenericMethod && method.Parameters.All(p => p.RefKind == RefKind.None))
            {
                methods.Add(ReadActivity(method, attribute));
            }
        }

        var invocable = methods.GroupBy(m => m.ActivityName).All(g => g.Count() == 1);
        return new ActivityClass(placement, type.Name, Naming.Type(type), invocable, new EquatableArray<ActivityMethod>(methods.ToImmutable()), ConstructorOf(type));
    }

    private static ActivityMethod ReadActivity(IMethodSymbol method, AttributeData attribute)
    {
        // A CancellationToken parameter is the worker's to supply; it is not an argument of the call.
        var parameters = method.Parameters.Where(p => p.Type.ToDisplayString() != "System.Threading.CancellationToken")
            .Select(p => new Parameter(p.Name, Naming.Type(p.Type))).ToImmutableArray();
        var stubName = method.Name.EndsWith("Async", System.StringComparison.Ordinal) ? method.Name : method.Name + "Async";
        var name = Naming.AttributeName(attribute) ?? Naming.StripAsync(method.Name);
        return new ActivityMethod(stubName, name, Naming.ResultOf(method.ReturnType), new EquatableArray<Parameter>(parameters), MemberCalls.Of(method, withDefaults: true));
    }

    /// <summary>
    /// The arguments of the class's one public constructor, each a service of the call's scope; null when the container must
    /// choose (several public constructors) or read the parameter (a default value, an attribute such as [FromKeyedServices]).
    /// </summary>
    private static EquatableArray<string>? ConstructorOf(INamedTypeSymbol type)
    {
        var constructors = type.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).ToList();
        if (constructors.Count != 1 || constructors[0].Parameters.Any(p => (p.HasExplicitDefaultValue && !OptionalService(p)) || p.RefKind != RefKind.None || p.GetAttributes().Length > 0 || p.IsParams))
        {
            return null;
        }

        // As the container does: a parameter with a default gets the service when there is one, else its default (null here).
        return new EquatableArray<string>(constructors[0].Parameters
            .Select(p => $"global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.{(p.HasExplicitDefaultValue ? "GetService" : "GetRequiredService")}<{Naming.Type(p.Type)}>(services)")
            .ToImmutableArray());
    }

    /// <summary>A parameter of a reference type defaulting to null: read as an optional service.</summary>
    private static bool OptionalService(IParameterSymbol parameter) => parameter.ExplicitDefaultValue is null && parameter.Type.IsReferenceType;
}
