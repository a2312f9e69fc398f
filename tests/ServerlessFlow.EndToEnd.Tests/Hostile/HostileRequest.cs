using System.Text;

namespace ServerlessFlow.EndToEnd.Tests.Hostile;

/// <summary>What a corpus request may change, so that a refusal can be checked to have changed nothing.</summary>
/// <param name="Kind">"workflow" or "schedule".</param>
/// <param name="Encoded">The target's ID, percent-encoded.</param>
internal sealed record Watched(string Kind, string Encoded)
{
    public static Watched Workflow(string encoded) => new("workflow", encoded);

    public static Watched Schedule(string encoded) => new("schedule", encoded);
}

/// <summary>One request of the hostile corpus.</summary>
/// <param name="Family">Which kind of hostility it is (ids, bodies, methods, filters, schedules …).</param>
/// <param name="Method">The HTTP method, sent as is.</param>
/// <param name="Target">The request target, sent byte for byte.</param>
/// <param name="Body">The body bytes, sent as they are (possibly not UTF-8).</param>
/// <param name="MustRefuse">True when any answer but a 4xx is a defect (an invalid ID, a malformed body …).</param>
/// <param name="Watch">What the request would change if it were taken; checked unchanged when it is refused.</param>
/// <param name="Headers">Extra request headers.</param>
internal sealed record HostileRequest(
    string Family, string Method, string Target, byte[] Body, bool MustRefuse, Watched? Watch = null, IReadOnlyList<string>? Headers = null)
{
    public static HostileRequest Text(string family, string method, string target, string? body, bool mustRefuse, Watched? watch = null) =>
        new(family, method, target, Encoding.UTF8.GetBytes(body ?? ""), mustRefuse, watch);

    /// <summary>Names the request in a failure message, with the start of its body.</summary>
    public override string ToString()
    {
        var body = Body.Length == 0 ? "" : " body: " + Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 120)).ReplaceLineEndings("⏎");
        return $"[{Family}] {Method} {(Target.Length > 200 ? Target[..200] + "…" : Target)}{body}";
    }
}
