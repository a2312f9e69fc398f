using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>The API calls the tests make, spelled once.</summary>
internal static class ApiCalls
{
    /// <summary>Longest wait for a workflow to reach a state the test waits for.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string? json) =>
        client.PostAsync(url, json is null ? null : Json(json));

    /// <summary>Polls <paramref name="condition"/> until it holds, failing with <paramref name="what"/> (and the last state) at the <see cref="Deadline"/>.</summary>
    public static Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what) =>
        TestSupport.Polling.UntilAsync(read, condition, Deadline, what);

    /// <summary>Starts a LoanApprovalWorkflow and waits until it awaits the "decide" signal.</summary>
    public static async Task<string> StartLoanAwaitingDecisionAsync(this HttpClient client)
    {
        var id = NewId("loan");
        var start = await client.StartAsync("LoanApprovalWorkflow", id, """{"applicantId":"ann","amount":1000}""");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, start.StatusCode);
        await PollAsync(() => client.QueryStringAsync(id, "status"), status => status == "awaiting-decision", $"Workflow {id} reaching awaiting-decision");
        return id;
    }

    /// <summary>A query's result as text, or the response body when the query did not answer 200.</summary>
    public static async Task<string?> QueryStringAsync(this HttpClient client, string id, string query)
    {
        var response = await client.GetAsync($"/api/workflows/{Uri.EscapeDataString(id)}/queries/{query}");
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement.GetProperty("result").ToString() : body;
    }

    public static Task<HttpResponseMessage> StartAsync(this HttpClient client, string type, string? id, string? body, string? taskQueue = null)
    {
        var query = new List<string>();
        if (id is not null)
        {
            query.Add("id=" + Uri.EscapeDataString(id));
        }

        if (taskQueue is not null)
        {
            query.Add("taskQueue=" + Uri.EscapeDataString(taskQueue));
        }

        var url = $"/api/workflows/{Uri.EscapeDataString(type)}" + (query.Count > 0 ? "?" + string.Join("&", query) : "");
        return client.PostAsync(url, new StringContent(body ?? "", Encoding.UTF8, "application/json"));
    }

    public static Task<HttpResponseMessage> StartHelloAsync(this HttpClient client, string? id, int count, int delayMs = 0, string? taskQueue = null) =>
        client.StartAsync("HelloSequence", id, $$"""{"count":{{count}},"delayMs":{{delayMs}}}""", taskQueue);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static Task<HttpResponseMessage> ResultAsync(this HttpClient client, string id, double waitSeconds) =>
        client.GetAsync($"/api/workflows/{Uri.EscapeDataString(id)}/result?wait={waitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
}
