using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>The API calls the tests make, spelled once.</summary>
internal static class ApiCalls
{
    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

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
