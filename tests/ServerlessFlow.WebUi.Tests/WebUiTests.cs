using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using ServerlessFlow.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace ServerlessFlow.WebUi.Tests;

/// <summary>The web UI in headless Chromium against the dev server: what a person does, checked in the page and in the API.</summary>
[Collection(DevServerGroup.Name)]
public sealed class WebUiTests(DevServerFixture fixture)
{
    /// <summary>Generous for a running workflow to show a change through the page's own refresh, on a loaded machine.</summary>
    private static readonly LocatorAssertionsToHaveTextOptions Slow = new() { Timeout = 60_000 };

    private HttpClient Api => fixture.Server.Client;

    [Fact]
    public async Task WebUi_ListFilterOpenSignalTerminate_EachChangeShowsInThePage()
    {
        var prefix = $"ui-{Guid.NewGuid():N}"[..15] + "/";
        var signaled = prefix + "loan #1";
        var terminated = prefix + "loan #2";
        await StartLoanAsync(signaled);
        await StartLoanAsync(terminated);
        await Polling.UntilAsync(TimeSpan.FromSeconds(30), "both loans in the index", async () =>
            ((await GetJsonAsync($"/api/workflows?idPrefix={Uri.EscapeDataString(prefix)}")).GetProperty("items").GetArrayLength() == 2, true));
        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;

        // The dev server's root is the UI.
        await page.GotoAsync(new Uri(Api.BaseAddress!, "/").ToString());
        await Expect(page.GetByTestId("workflow-row").First).ToBeVisibleAsync();
        await browser.ScreenshotAsync("workflow-list");

        await page.GetByTestId("filter-idPrefix").FillAsync(prefix);
        await page.GetByTestId("apply-filters").ClickAsync();
        await Expect(page.GetByTestId("workflow-row")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("count-Running")).ToHaveTextAsync("Running 2");
        Assert.Contains("idPrefix=" + Uri.EscapeDataString(prefix), page.Url, StringComparison.Ordinal);

        await page.GetByTestId("workflow-link").GetByText(signaled, new() { Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(signaled);
        await Expect(page.GetByTestId("status").First).ToHaveTextAsync("Running");
        await Expect(page.GetByTestId("timeline-row").First).ToBeVisibleAsync();
        await browser.ScreenshotAsync("workflow-timeline");

        await page.GetByTestId("action-signal").ClickAsync();
        await page.GetByTestId("field-name").FillAsync("decide");
        await page.GetByTestId("field-argument").FillAsync("""{"approved":true,"reviewer":"ui"}""");
        await page.GetByTestId("confirm").ClickAsync();
        await Expect(page.GetByTestId("notice")).ToContainTextAsync("Signal");

        // No reload by the test: the page refreshes a running workflow by itself.
        await Expect(page.GetByTestId("status").First).ToHaveTextAsync("Completed", Slow);
        await page.GetByTestId("tab-compact").ClickAsync();
        await Expect(page.GetByTestId("compact-row").Filter(new() { HasText = "WorkflowSignaled" })).ToContainTextAsync("decide");
        await Expect(page.GetByTestId("compact-row").Filter(new() { HasText = "WorkflowCompleted" })).ToContainTextAsync("approved by ui");
        await browser.ScreenshotAsync("workflow-compact");
        Assert.Equal("approved by ui", (await GetJsonAsync($"/api/workflows/{Uri.EscapeDataString(signaled)}")).GetProperty("result").GetString());

        await page.GetByTestId("tab-json").ClickAsync();
        await Expect(page.GetByTestId("history-json")).ToContainTextAsync("\"kind\": \"WorkflowSignaled\"");
        await Expect(page.GetByTestId("download")).ToHaveAttributeAsync("download", new System.Text.RegularExpressions.Regex("history\\.json$"));

        await page.GotoAsync(new Uri(Api.BaseAddress!, "/api/ui/#/workflows/" + Uri.EscapeDataString(terminated)).ToString());
        await Expect(page.GetByTestId("status").First).ToHaveTextAsync("Running");
        await page.GetByTestId("action-terminate").ClickAsync();
        await page.GetByTestId("field-reason").FillAsync("opened twice");
        await page.GetByTestId("confirm").ClickAsync();
        await Expect(page.GetByTestId("status").First).ToHaveTextAsync("Terminated", Slow);
        await Expect(page.GetByTestId("failure")).ToContainTextAsync("opened twice");
        Assert.Equal("Terminated", (await GetJsonAsync($"/api/workflows/{Uri.EscapeDataString(terminated)}")).GetProperty("status").GetString());

        // A second terminate is refused by the API: the dialog shows its problem details.
        await page.GetByTestId("action-terminate").ClickAsync();
        await page.GetByTestId("confirm").ClickAsync();
        await Expect(page.GetByTestId("problem")).ToContainTextAsync("urn:serverlessflow:problem:workflow-closed");
        await browser.ScreenshotAsync("refusal");
    }

    [Fact]
    public async Task WebUi_SuspendAndResume_ButtonsConfirmAndListFiltersSuspended()
    {
        var prefix = $"ui-hold-{Guid.NewGuid():N}"[..20] + "/";
        var held = prefix + "loan";
        var free = prefix + "other";
        await StartLoanAsync(held);
        await StartLoanAsync(free);
        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;

        await page.GotoAsync(new Uri(Api.BaseAddress!, "/api/ui/#/workflows/" + Uri.EscapeDataString(held)).ToString());
        await Expect(page.GetByTestId("status").First).ToHaveTextAsync("Running");
        await Expect(page.GetByTestId("action-resume")).ToHaveCountAsync(0);
        await page.GetByTestId("action-suspend").ClickAsync();
        await page.GetByTestId("field-reason").FillAsync("audit hold");
        await page.GetByTestId("confirm").ClickAsync();
        await Expect(page.GetByTestId("suspension")).ToContainTextAsync("audit hold", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("action-suspend")).ToHaveCountAsync(0);
        Assert.Equal("audit hold", (await GetJsonAsync($"/api/workflows/{Uri.EscapeDataString(held)}")).GetProperty("suspension").GetProperty("reason").GetString());

        // The index follows the suspension commit: the list's own filter shows only the held run, and counts it.
        await Polling.UntilAsync(TimeSpan.FromSeconds(30), "the suspension in the index", async () =>
            ((await GetJsonAsync($"/api/workflows?idPrefix={Uri.EscapeDataString(prefix)}")).GetProperty("items").EnumerateArray()
                .Count(i => i.GetProperty("suspension").ValueKind == JsonValueKind.Object) == 1, true));
        await page.GotoAsync(new Uri(Api.BaseAddress!, $"/api/ui/#/workflows?idPrefix={Uri.EscapeDataString(prefix)}&status=Suspended").ToString());
        await Expect(page.GetByTestId("workflow-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("workflow-row")).ToContainTextAsync(held);
        await Expect(page.GetByTestId("count-Suspended")).ToHaveTextAsync("Suspended 1");
        await Expect(page.GetByTestId("count-Running")).ToHaveTextAsync("Running 2");
        await browser.ScreenshotAsync("workflow-list-suspended");

        await page.GetByTestId("workflow-link").ClickAsync();
        await page.GetByTestId("action-resume").ClickAsync();
        await page.GetByTestId("confirm").ClickAsync();
        await Expect(page.GetByTestId("action-suspend")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("suspension")).ToHaveCountAsync(0);
        Assert.Equal(JsonValueKind.Null, (await GetJsonAsync($"/api/workflows/{Uri.EscapeDataString(held)}")).GetProperty("suspension").ValueKind);

        foreach (var id in new[] { held, free })
        {
            using var terminated = await Api.PostAsync($"/api/workflows/{Uri.EscapeDataString(id)}/terminate", null);
            Assert.Equal(HttpStatusCode.OK, terminated.StatusCode);
        }
    }

    [Fact]
    public async Task WebUi_SchedulesAndDeadLetters_ShowAndOperate()
    {
        var id = $"ui-sched-{Guid.NewGuid():N}";
        using var created = await Api.PostAsync($"/api/schedules/{Uri.EscapeDataString(id)}", Json("""
            {"spec":{"cronExpressions":["0 2 * * *"],"timeZone":"Europe/Paris"},"action":{"workflowType":"HelloSequence","input":{"count":1,"delayMs":0}},"note":"nightly report"}
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;

        await page.GotoAsync(new Uri(Api.BaseAddress!, "/api/ui/#/schedules").ToString());
        await Expect(page.GetByTestId("schedule-row").Filter(new() { HasText = id })).ToContainTextAsync("nightly report");
        await browser.ScreenshotAsync("schedules");

        await page.GetByText(id, new() { Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("active");
        await browser.ScreenshotAsync("schedule");
        await page.GetByTestId("schedule-pause").ClickAsync();
        await page.GetByTestId("field-note").FillAsync("maintenance");
        await page.GetByTestId("confirm").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("paused");
        Assert.True((await GetJsonAsync($"/api/schedules/{Uri.EscapeDataString(id)}")).GetProperty("paused").GetBoolean());

        await page.GetByTestId("schedule-trigger").ClickAsync();
        await page.GetByTestId("confirm").ClickAsync();
        await Polling.UntilAsync(TimeSpan.FromSeconds(60), "the triggered run", async () =>
            ((await GetJsonAsync($"/api/schedules/{Uri.EscapeDataString(id)}")).GetProperty("actionCount").GetInt64() >= 1, true));

        await page.GotoAsync(new Uri(Api.BaseAddress!, "/api/ui/#/deadletters").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Dead letters");
        await Expect(page.Locator("table")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("deadletters");
    }

    private async Task StartLoanAsync(string id)
    {
        using var response = await Api.PostAsync($"/api/workflows/LoanApprovalWorkflow?id={Uri.EscapeDataString(id)}", Json("""{"applicantId":"ann","amount":1000}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Api.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
