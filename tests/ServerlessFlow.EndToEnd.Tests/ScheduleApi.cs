using System.Net;
using System.Text;
using System.Text.Json;

namespace ServerlessFlow.EndToEnd.Tests;

/// <summary>The schedule calls the end-to-end tests make, as curl would make them.</summary>
internal static class ScheduleApi
{
    public static async Task CreateScheduleAsync(this HttpClient client, string id, string definitionJson)
    {
        using var response = await client.PostAsync($"/api/schedules/{Uri.EscapeDataString(id)}", new StringContent(definitionJson, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Create schedule answered {(int)response.StatusCode}: {body}");
    }

    /// <summary>The workflows a schedule started, found through the visibility index by the built-in ScheduledById attribute.</summary>
    public static async Task<List<ScheduledRun>> ScheduledRunsAsync(this HttpClient client, string scheduleId)
    {
        using var response = await client.GetAsync($"/api/workflows?pageSize=1000&sa.ScheduledById={Uri.EscapeDataString('"' + scheduleId + '"')}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"List answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray()
            .Select(i => new ScheduledRun(
                i.GetProperty("id").GetString()!,
                i.GetProperty("searchAttributes").GetProperty("ScheduledStartTime").GetDateTimeOffset(),
                i.GetProperty("createdAt").GetDateTimeOffset()))
            .OrderBy(r => r.Nominal)
            .ToList();
    }
}

/// <summary>A run a schedule started.</summary>
/// <param name="Id">Its workflow ID.</param>
/// <param name="Nominal">The schedule time it was started for.</param>
/// <param name="StartedAt">When it actually started.</param>
internal sealed record ScheduledRun(string Id, DateTimeOffset Nominal, DateTimeOffset StartedAt);
