using System.Collections.Immutable;
using System.Linq;
using System.Text;

namespace ServerlessFlow.Generators;

/// <summary>
/// Writes <c>AddGeneratedDefinitions()</c>: every workflow and activity class of the assembly, found at compile time,
/// registered by type — nothing scans assemblies at start-up, and a class added to the project is registered by the
/// next build. Internal, in a namespace named after the assembly, so two assemblies' methods never collide.
/// </summary>
internal static class RegistrationWriter
{
    public const string BuilderType = "ServerlessFlow.Engine.ServerlessFlowBuilder";
    private const string Builder = "global::" + BuilderType;

    public static string Write(string assemblyName, ImmutableArray<WorkflowClass> workflows, ImmutableArray<ActivityClass> activities)
    {
        var registrations = workflows.Select(w => $"                .AddWorkflow<{w.FullType}>()")
            .Concat(activities.Select(a => $"                .AddActivities<{a.FullType}>()"))
            .OrderBy(line => line, System.StringComparer.Ordinal);
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

    /// <summary>The assembly name as a namespace: each dot-separated part made a valid identifier.</summary>
    private static string NamespaceOf(string assemblyName) => string.Join(".", assemblyName.Split('.').Select(part =>
    {
        var identifier = new string(part.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray());
        return identifier.Length == 0 || char.IsDigit(identifier[0]) ? "_" + identifier : identifier;
    }));
}
