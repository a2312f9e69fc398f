using System.Net;
using System.Text;
using System.Text.Json;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.EndToEnd.Tests;

/// <summary>The HTTP calls the end-to-end tests make, as curl would make them.</summary>
internal static class WorkflowApi
{
    /// <summary>Starts a workflow of <paramref name="type"/> (HelloSequence's input shape); <paramref name="traceParent"/> is sent as the W3C traceparent header when given.</summary>
    public static async Task<JsonElement> StartHelloAsync(this HttpClient client, string id, int count, int delayMs, int timeoutMs = 60_000, string? traceParent = null, string type = "HelloSequence")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/workflows/{type}?id={Uri.EscapeDataString(id)}")
        {
            Content = new StringContent($$"""{"count":{{count}},"delayMs":{{delayMs}},"timeoutMs":{{timeoutMs}}}""", Encoding.UTF8, "application/json"),
        };
        if (traceParent is not null)
        {
            request.Headers.Add("traceparent", traceParent);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Start answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Long-polls the result until the run closes (each call waits up to <paramref name="waitSeconds"/>).</summary>
    public static Task<JsonElement> WaitForResultAsync(this HttpClient client, string id, TimeSpan timeout, int waitSeconds = 30, Func<string>? diagnostics = null) =>
        Polling.UntilAsync(timeout, $"workflow '{id}' to close", async () =>
        {
            using var response = await client.GetAsync($"/api/workflows/{Uri.EscapeDataString(id)}/result?wait={waitSeconds}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"Result answered {(int)response.StatusCode}: {body}");
            return (response.StatusCode == HttpStatusCode.OK, JsonDocument.Parse(body).RootElement.Clone());
        }, diagnostics);

    public static async Task<JsonElement> DescribeAsync(this HttpClient client, string id)
    {
        using var response = await client.GetAsync($"/api/workflows/{Uri.EscapeDataString(id)}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Describe answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<List<JsonElement>> HistoryAsync(this HttpClient client, string id)
    {
        using var response = await client.GetAsync($"/api/workflows/{Uri.EscapeDataString(id)}/history");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"History answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("events").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    public static List<JsonElement> OfKind(this IEnumerable<JsonElement> events, string kind) =>
        events.Where(e => e.GetProperty("kind").GetString() == kind).ToList();
}
