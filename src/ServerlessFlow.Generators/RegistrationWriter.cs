using System.Collections.Immutable;
using System.Linq;
using System.Text;

namespace ServerlessFlow.Generators;

/// <summary>
/// Writes <c>AddGeneratedDefinitions()</c>: every workflow and activity class of the assembly, found at compile time,
/// registered with its whole definition as data — type name, handler names, failure exception types — and its invokers
/// (direct calls of its members) and constructor call, so the registry reads no attributes and the worker calls and creates
/// nothing through reflection. Nothing scans assemblies at start-up, and a class added to the project is registered by the
/// next build. Internal, in a namespace named after the assembly, so two assemblies' methods never collide.
/// </summary>
internal static class RegistrationWriter
{
    public const string BuilderType = "ServerlessFlow.Engine.ServerlessFlowBuilder";
    private const string Builder = "global::" + BuilderType;

    public static string Write(string assemblyName, ImmutableArray<WorkflowClass> workflows, ImmutableArray<ActivityClass> activities)
    {
        var registrations = workflows.Select(w => (Key: $"AddWorkflow<{w.FullType}>", Text: Register(w)))
            .Concat(activities.Select(a => (Key: $"AddActivities<{a.FullType}>", Text: Register(a))))
            .OrderBy(r => r.Key, System.StringComparer.Ordinal)
            .Select(r => r.Text);
        var body = new StringBuilder()
            .AppendLine("    /// <summary>Registration of this assembly's workflows and activities, generated from its [Workflow] and [Activity] classes.</summary>")
            .AppendLine($"    {SourceText.GeneratedCode}")
            .AppendLine("    internal static class GeneratedWorkflowRegistration")
            .AppendLine("    {")
            .AppendLine($"        /// <summary>Adds the {workflows.Length} workflow(s) and {activities.Length} activity class(es) of this assembly.</summary>")
            .AppendLine($"        internal static {Builder} AddGeneratedDefinitions(this {Builder} flow)")
            .AppendLine("        {")
            .AppendLine("            if (flow is null)")
            .AppendLine("            {")
            .AppendLine("                throw new global::System.ArgumentNullException(nameof(flow));")
            .AppendLine("            }")
            .AppendLine()
            .AppendLine("            return flow")
            .Append(string.Join("\n", registrations)).AppendLine(";")
            .AppendLine("        }")
            .AppendLine("    }");
        return SourceText.File("the [Workflow] and [Activity] classes of " + assemblyName, NamespaceOf(assemblyName), body.ToString());
    }

    private const string Indent = "                ";
    private const string Invokers = "global::System.Collections.Generic.Dictionary<string, global::ServerlessFlow.Invocation.MemberInvoker>";

    private static string Register(WorkflowClass workflow)
    {
        if (!workflow.Invocable)
        {
            return $"{Indent}.AddWorkflow<{workflow.FullType}>()";
        }

        var text = new StringBuilder()
            .AppendLine($"{Indent}.AddWorkflow<{workflow.FullType}>(new global::ServerlessFlow.Invocation.WorkflowInvokers(")
            .AppendLine($"{Indent}    {SourceText.Literal(workflow.TypeName)},")
            .AppendLine($"{Indent}    static () => new {workflow.FullType}(),")
            .Append($"{Indent}    {MemberCalls.Invoker(workflow.FullType, workflow.Run)})");
        var failureTypes = workflow.FailureExceptionTypes.Count == 0 ? [] : new[] { $"FailureExceptionTypes = [{string.Join(", ", workflow.FailureExceptionTypes)}]," };
        var groups = new[]
        {
            ("Signals", workflow.Handlers.Where(h => h.Kind == HandlerKind.Signal).Select(h => (h.RegisteredName, h.Call))),
            ("Queries", workflow.Handlers.Where(h => h.Kind == HandlerKind.Query).Select(h => (h.RegisteredName, h.Call))),
            ("Updates", workflow.Handlers.Where(h => h.Kind == HandlerKind.Update).Select(h => (h.RegisteredName, h.Call))),
            ("UpdateValidators", workflow.Validators.Select(v => (RegisteredName: v.UpdateName, v.Call))),
        }.Select(g => (Property: g.Item1, Entries: g.Item2.ToList())).Where(g => g.Entries.Count > 0).ToList();
        if (groups.Count == 0 && failureTypes.Length == 0)
        {
            return text.Append(')').ToString();
        }

        text.AppendLine().AppendLine($"{Indent}{{");
        foreach (var line in failureTypes)
        {
            text.AppendLine($"{Indent}    {line}");
        }

        foreach (var (property, entries) in groups)
        {
            text.AppendLine($"{Indent}    {property} = {Dictionary(workflow.FullType, entries, Indent + "    ")},");
        }

        return text.Append($"{Indent}}})").ToString();
    }

    private static string Register(ActivityClass activities)
    {
        if (!activities.Invocable)
        {
            return $"{Indent}.AddActivities<{activities.FullType}>()";
        }

        var invokers = Dictionary(activities.FullType, activities.Methods.Select(m => (m.ActivityName, m.Call)).ToList(), Indent);
        return activities.Constructor is { } arguments
            ? $"{Indent}.AddActivities<{activities.FullType}>(\n{Indent}    {invokers.Replace("\n", "\n    ")},\n{Indent}    static services => new {activities.FullType}({string.Join(", ", arguments)}))"
            : $"{Indent}.AddActivities<{activities.FullType}>({invokers})";
    }

    private static string Dictionary(string fullType, System.Collections.Generic.List<(string Name, MemberCall Call)> entries, string indent)
    {
        var text = new StringBuilder().AppendLine($"new {Invokers}").AppendLine($"{indent}{{");
        foreach (var (name, call) in entries)
        {
            text.AppendLine($"{indent}    [{SourceText.Literal(name)}] = {MemberCalls.Invoker(fullType, call)},");
        }

        return text.Append($"{indent}}}").ToString();
    }

    /// <summary>The assembly name as a namespace: each dot-separated part made a valid identifier.</summary>
    private static string NamespaceOf(string assemblyName) => string.Join(".", assemblyName.Split('.').Select(part =>
    {
        var identifier = new string(part.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray());
        return identifier.Length == 0 || char.IsDigit(identifier[0]) ? "_" + identifier : identifier;
    }));
}
