using System.Text.Json;
using ServerlessFlow.Cli.Api;

namespace ServerlessFlow.Cli.Output;

/// <summary>Prints the API's refusal on standard error: the problem details, as JSON or for a person.</summary>
internal static class Refusals
{
    private static readonly HashSet<string> Standard = ["type", "title", "status", "detail", "instance"];

    /// <summary>Writes <paramref name="refusal"/> to <paramref name="error"/>.</summary>
    public static void Write(ApiRefusedException refusal, OutputFormat format, TextWriter error)
    {
        if (refusal.Problem is not { } problem)
        {
            error.WriteLine($"The API answered {(int)refusal.Status} {refusal.Status}{(string.IsNullOrWhiteSpace(refusal.Body) ? "" : ": " + refusal.Body.Trim())}");
            return;
        }

        if (format == OutputFormat.Json)
        {
            error.WriteLine(JsonText.Pretty(problem));
            return;
        }

        error.WriteLine($"{(int)refusal.Status} {problem.Text("title")}: {problem.Text("detail")}");
        error.WriteLine($"  type: {problem.Text("type")}");
        foreach (var member in problem.EnumerateObject().Where(m => !Standard.Contains(m.Name) && m.Value.ValueKind != JsonValueKind.Null))
        {
            error.WriteLine($"  {member.Name}: {JsonText.Compact(member.Value)}");
        }
    }
}
