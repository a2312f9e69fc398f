using System.Text.Json;

namespace ServerlessFlow.Cli.Output;

/// <summary>The generic table of one JSON object: a NAME and a VALUE column, nested values as compact JSON.</summary>
internal static class Fields
{
    /// <summary>Writes <paramref name="body"/>'s members, or the value itself when it is not an object.</summary>
    public static void Write(JsonElement body, TextWriter output)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            output.WriteLine(JsonText.Compact(body));
            return;
        }

        var table = new Table("NAME", "VALUE");
        foreach (var member in body.EnumerateObject())
        {
            table.Add(member.Name, JsonText.Compact(member.Value));
        }

        table.WriteTo(output);
    }
}
