using System.Text.Json;
using ServerlessFlow.Hosting.Http;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>Assertions on RFC 9457 problem details.</summary>
internal static class Problems
{
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status, string type)
    {
        var body = await response.Content.ReadAsStringAsync();
        return AssertProblem((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, status, type);
    }

    public static JsonElement AssertProblem(RawResponse response, int status, string type) =>
        AssertProblem(response.Status, response.ContentType?.Split(';')[0], response.Body, status, type);

    private static JsonElement AssertProblem(int actualStatus, string? mediaType, string body, int status, string type)
    {
        Assert.True(actualStatus == status, $"Expected {status}, got {actualStatus}: {body}");
        Assert.Equal("application/problem+json", mediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(type, problem.GetProperty("type").GetString());
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.StartsWith(ApiProblems.TypePrefix, type, StringComparison.Ordinal);
        return problem;
    }
}
