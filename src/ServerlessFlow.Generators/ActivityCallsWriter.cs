using System.Linq;
using System.Text;

namespace ServerlessFlow.Generators;

/// <summary>
/// Writes <c>{Class}Calls</c>: one static method per activity, called from workflow code,
/// <c>await EmailActivitiesCalls.SendAsync(email, "welcome", options)</c>, which schedules the activity by its
/// registered name with the arguments as given — no lambda to read, nothing compiled at run time.
/// </summary>
internal static class ActivityCallsWriter
{
    public static string Write(ActivityClass activities)
    {
        var body = new StringBuilder()
            .AppendLine($"    /// <summary>Typed calls of the activities of <see cref=\"{activities.FullType}\"/>, from workflow code (generated).</summary>")
            .AppendLine($"    {SourceText.GeneratedCode}")
            .AppendLine($"    {activities.Placement.Accessibility} static partial class {activities.ClassName}Calls")
            .AppendLine("    {");
        var first = true;
        foreach (var activity in activities.Methods)
        {
            if (!first)
            {
                body.AppendLine();
            }

            first = false;
            var arguments = SourceText.Arguments(activity.Parameters, "options");
            var values = arguments.Count == 0 ? "global::System.Array.Empty<object?>()" : $"new object?[] {{ {string.Join(", ", arguments.Select(a => a.Declared))} }}";
            var call = $"{SourceText.Workflow}.ExecuteActivityAsync<{activity.ResultType ?? SourceText.NoResult}>({SourceText.Literal(activity.ActivityName)}, {values}, options)";
            body.AppendLine($"        /// <summary>Runs the activity \"{SourceText.Xml(activity.ActivityName)}\" with <paramref name=\"options\"/> (timeouts, retries, task queue) and waits for its outcome.</summary>");
            body.AppendLine(activity.ResultType is { } result
                ? $"        public static async {SourceText.Task}<{result}> {activity.StubName}({SourceText.Declare(arguments)}global::ServerlessFlow.ActivityOptions options) => (await {call})!;"
                : $"        public static {SourceText.Task} {activity.StubName}({SourceText.Declare(arguments)}global::ServerlessFlow.ActivityOptions options) => {call};");
        }

        body.AppendLine("    }");
        return SourceText.File($"the activities of {activities.ClassName}", activities.Placement.Namespace, body.ToString());
    }
}
