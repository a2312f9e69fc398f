using ServerlessFlow.Hosting.Http;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>
/// IDs with characters that are special in URLs or forbidden in table keys travel percent-encoded and
/// come back unchanged; two distinct IDs never reach the same workflow; nothing is ever a 500.
/// </summary>
[Collection(ApiServerGroup.Name)]
public sealed class WorkflowIdEncodingTests(ApiServer server)
{
    public static TheoryData<string> SpecialIds => new(
        "a/b", "a%2Fb", "a%252Fb", "a\\b", "a#b", "a?b", "a b", "a+b", "a&b=c", "%", "100%", "ü/ß", "日本", "a/../b", "'\"<>", "x/");

    [Theory]
    [MemberData(nameof(SpecialIds))]
    public async Task Id_WithSpecialCharacters_RoundTripsThroughEveryRoute(string suffix)
    {
        var id = ApiCalls.NewId("id") + suffix;
        var encoded = Uri.EscapeDataString(id);

        var start = await RawHttp.SendAsync(server.Port, "POST", $"/api/workflows/HelloSequence?id={encoded}&taskQueue={ApiServer.IdleTaskQueue}", """{"count":1,"delayMs":0}""");

        Assert.True(start.Status == 202, start.Body);
        Assert.Equal(id, start.Json().GetProperty("id").GetString());
        Assert.Equal($"/api/workflows/{encoded}", start.Headers["location"]);
        foreach (var path in new[] { "", "/result", "/history" })
        {
            var read = await RawHttp.SendAsync(server.Port, "GET", $"/api/workflows/{encoded}{path}");
            Assert.True(read.Status is 200 or 202, $"{path}: {read.Status} {read.Body}");
            Assert.Equal(id, read.Json().GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task Ids_ThatDecodeAlike_NeverCollide()
    {
        // Lenient decoders map several of these to one string; each must reach its own workflow.
        var stem = ApiCalls.NewId("collide");
        string[] suffixes = ["/x", "%2Fx", "%252Fx", "\\x", " x", "+x", "%20x"];
        var runs = new Dictionary<string, string>();
        foreach (var suffix in suffixes)
        {
            var id = stem + suffix;
            var start = await RawHttp.SendAsync(server.Port, "POST", $"/api/workflows/HelloSequence?id={Uri.EscapeDataString(id)}&taskQueue={ApiServer.IdleTaskQueue}", "{\"count\":1,\"delayMs\":0}");
            Assert.True(start.Status == 202, $"{id}: {start.Status} {start.Body}");
            runs[id] = start.Json().GetProperty("runId").GetString()!;
        }

        Assert.Equal(suffixes.Length, runs.Values.Distinct().Count());
        foreach (var (id, runId) in runs)
        {
            var described = await RawHttp.SendAsync(server.Port, "GET", $"/api/workflows/{Uri.EscapeDataString(id)}");
            Assert.Equal(200, described.Status);
            Assert.Equal(id, described.Json().GetProperty("id").GetString());
            Assert.Equal(runId, described.Json().GetProperty("runId").GetString());
        }
    }

    [Theory]
    [InlineData("%00")]
    [InlineData("%0A")]
    [InlineData("%0D%0A")]
    [InlineData("%1F")]
    [InlineData("%7F")]
    [InlineData("%C2%85")]
    public async Task Id_WithControlCharacter_IsRejectedWith400Problem(string control)
    {
        var encoded = Uri.EscapeDataString(ApiCalls.NewId("ctl")) + control + "z";

        var start = await RawHttp.SendAsync(server.Port, "POST", $"/api/workflows/HelloSequence?id={encoded}", "{}");

        Problems.AssertProblem(start, 400, ApiProblems.InvalidRequest);
        var describe = await RawHttp.SendAsync(server.Port, "GET", $"/api/workflows/{encoded}");
        Assert.True(describe.Status is 400 or 404, $"{describe.Status} {describe.Body}");
        if (!(control == "%00" && describe.Status == 400 && describe.Body.Length == 0))
        {
            // Kestrel itself refuses a path that decodes to NUL, with a bare 400, before any endpoint runs.
            Assert.Equal("application/problem+json", describe.ContentType?.Split(';')[0]);
        }
    }

    [Theory]
    [InlineData("%ZZ")]
    [InlineData("%4")]
    [InlineData("%C3%28")]
    [InlineData("%FF")]
    [InlineData("%ED%A0%80")]
    public async Task Id_WithMalformedEscape_IsRejectedWith400Problem(string malformed)
    {
        var id = ApiCalls.NewId("bad") + malformed;

        var start = await RawHttp.SendAsync(server.Port, "POST", $"/api/workflows/HelloSequence?id={id}", "{}");
        var describe = await RawHttp.SendAsync(server.Port, "GET", $"/api/workflows/{id}");
        var history = await RawHttp.SendAsync(server.Port, "GET", $"/api/workflows/{id}/history");

        Problems.AssertProblem(start, 400, ApiProblems.InvalidRequest);
        Problems.AssertProblem(describe, 400, ApiProblems.InvalidRequest);
        Problems.AssertProblem(history, 400, ApiProblems.InvalidRequest);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public async Task Id_ThatIsADotSegment_IsRejectedWith400Problem(string id)
    {
        // URL normalization removes "." and ".." path segments, so such a workflow could never be addressed.
        var start = await RawHttp.SendAsync(server.Port, "POST", $"/api/workflows/HelloSequence?id={id}", "{}");

        Problems.AssertProblem(start, 400, ApiProblems.InvalidRequest);
    }

    [Fact]
    public async Task Id_LongerThanTheLimit_IsRejectedWith400Problem()
    {
        var start = await RawHttp.SendAsync(server.Port, "POST", $"/api/workflows/HelloSequence?id={new string('x', 2000)}", "{}");

        Problems.AssertProblem(start, 400, ApiProblems.InvalidRequest);
    }
}
