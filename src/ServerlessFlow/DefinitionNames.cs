using System.Reflection;

namespace ServerlessFlow;

/// <summary>
/// The names under which workflows, activities and handlers are registered and called: the attribute's name, or the
/// member's. The one rule shared by the registry, the workflow API and the typed client, so a call always finds its handler.
/// </summary>
internal static class DefinitionNames
{
    /// <summary>A workflow class's type name: its [Workflow] name, or the class name.</summary>
    public static string Workflow(Type workflowClass) => workflowClass.GetCustomAttribute<WorkflowAttribute>()?.Name ?? workflowClass.Name;

    /// <summary>A signal, query or update handler's name: the attribute's name, or the member name without "Async".</summary>
    public static string Handler(MemberInfo member, string? attributeName) => attributeName ?? StripAsync(member.Name);

    /// <summary>The name of a member marked with <typeparamref name="TAttribute"/>, or null when it is not marked.</summary>
    public static string? HandlerOf<TAttribute>(MemberInfo member)
        where TAttribute : Attribute => member.GetCustomAttribute<TAttribute>() switch
        {
            null => null,
            WorkflowSignalAttribute a => Handler(member, a.Name),
            WorkflowQueryAttribute a => Handler(member, a.Name),
            WorkflowUpdateAttribute a => Handler(member, a.Name),
            _ => Handler(member, null),
        };

    /// <summary>A method name without its "Async" suffix.</summary>
    public static string StripAsync(string name) => name.EndsWith("Async", StringComparison.Ordinal) && name.Length > 5 ? name[..^5] : name;
}
