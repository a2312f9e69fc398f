using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

using ServerlessFlow.TestSupport;

namespace ServerlessFlow.EndToEnd.Tests;

/// <summary>
/// The dev server with the Azurite it launches itself, on a data folder of the test's own: after a kill -9 the orphaned
/// Azurite is replaced by the next start, losing nothing the killed dev server acknowledged, while an Azurite whose dev
/// server still runs is never touched. Also: the dev server listens on loopback only.
/// </summary>
public sealed class DevServerAzuriteTests : IDisposable
{
    private static readonly TimeSpan ResultTimeout = TimeSpan.FromSeconds(90);

    private readonly ExecutionLog log = new();
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "sf-devserver-" + Guid.NewGuid().ToString("N"));

    private string PidFilePath => Path.Combine(dataDirectory, "azurite.pid");

    [Fact]
    public async Task DevServer_Killed_NextStartReplacesItsOrphanedAzuriteAndItsWorkflowCompletes()
    {
        string[] arguments = ["--data-folder", Path.Combine(dataDirectory, "azurite")];
        var id = $"loan-{Guid.NewGuid():N}";
        var first = await DevServerProcess.StartAsync(arguments, log.Path);
        int orphan;
        await using (first)
        {
            await StartLoanAsync(first.Client, id);
            await Polling.UntilAsync(ResultTimeout, $"'{id}' to await its decision", async () =>
            {
                using var query = await first.Client.GetAsync($"/api/workflows/{id}/queries/status");
                var body = await query.Content.ReadAsStringAsync();
                return (body.Contains("awaiting-decision", StringComparison.Ordinal), body);
            }, () => first.Output);
            orphan = RecordedAzuritePid();
            await first.KillAsync();
        }

        Assert.True(IsRunning(orphan), "The dev server's Azurite should outlive a kill -9 of the dev server (node outlives its parent).");

        await using var second = await DevServerProcess.StartAsync(arguments, log.Path);

        Assert.False(IsRunning(orphan), $"The orphaned Azurite (PID {orphan}) still runs.\n{second.Output}");
        Assert.NotEqual(orphan, RecordedAzuritePid());
        Assert.Contains("stopping that orphan", second.Output, StringComparison.Ordinal);
        using (var decided = await second.Client.PostAsync(
            $"/api/workflows/{id}/signals/decide", new StringContent("""{"approved":true,"reviewer":"rita"}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Accepted, decided.StatusCode);
        }

        var result = await second.Client.WaitForResultAsync(id, ResultTimeout, diagnostics: () => second.Output);
        Assert.Equal("approved by rita", result.GetProperty("result").GetString());
        await StopGracefullyAsync(second);
    }

    [Fact]
    public async Task DevServer_KilledRightAfterStartingWorkflows_NextStartFindsAndCompletesEveryOne()
    {
        string[] arguments = ["--data-folder", Path.Combine(dataDirectory, "azurite")];
        var ids = Enumerable.Range(0, 8).Select(i => $"hello-{i}-{Guid.NewGuid():N}").ToList();
        await using (var first = await DevServerProcess.StartAsync(arguments, log.Path))
        {
            // Acknowledged (202), then killed at once: the last writes are seconds younger than Azurite's periodic save.
            await Task.WhenAll(ids.Select(id => first.Client.StartHelloAsync(id, count: 2, delayMs: 200, timeoutMs: 5_000)));
            await first.KillAsync();
        }

        await using var second = await DevServerProcess.StartAsync(arguments, log.Path);

        foreach (var id in ids)
        {
            var result = await second.Client.WaitForResultAsync(id, ResultTimeout, diagnostics: () => second.Output);
            Assert.Equal([0, 1], result.GetProperty("result").EnumerateArray().Select(e => e.GetInt32()));
        }

        await StopGracefullyAsync(second);
    }

    [Fact]
    public async Task DevServer_DataFolderInUseByARunningDevServer_RefusesAndLeavesItsAzuriteAlone()
    {
        string[] arguments = ["--data-folder", Path.Combine(dataDirectory, "azurite")];
        await using var owner = await DevServerProcess.StartAsync(arguments, log.Path);
        var azurite = RecordedAzuritePid();

        await using var second = DevServerProcess.Launch(arguments, log.Path);
        var exitCode = await second.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"An Azurite (PID {azurite}) still runs on", second.Output, StringComparison.Ordinal);
        Assert.True(IsRunning(azurite));
        using var listed = await owner.Client.GetAsync("/api/workflows?pageSize=1");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        await StopGracefullyAsync(owner);
    }

    [Theory]
    [InlineData("http://0.0.0.0:7399")]
    [InlineData("http://*:7399")]
    [InlineData("http://127.0.0.1:7399;http://192.0.2.10:7399")]
    public async Task DevServer_UrlsBeyondLoopback_RefusesToStartAndSaysSo(string urls)
    {
        await using var server = DevServerProcess.Launch(["--urls", urls, "--in-memory"], log.Path);

        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains("listens on loopback only", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Azurite started", server.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        // Whatever a failed test left: the Azurite recorded for this test's own folder, by its PID.
        if (File.Exists(PidFilePath) && RecordedAzuritePid() is var pid && IsRunning(pid))
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit();
        }

        log.Dispose();
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task StartLoanAsync(HttpClient client, string id)
    {
        using var response = await client.PostAsync(
            $"/api/workflows/LoanApprovalWorkflow?id={id}", new StringContent("""{"applicantId":"ann","amount":1000}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>SIGTERM, as Ctrl-C would: the dev server stops its Azurite and removes the PID file.</summary>
    private async Task StopGracefullyAsync(DevServerProcess server)
    {
        var azurite = RecordedAzuritePid();
        using (var kill = Process.Start("kill", ["-TERM", server.Pid.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await server.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.False(IsRunning(azurite), $"The dev server's Azurite (PID {azurite}) outlived a graceful stop.\n{server.Output}");
        Assert.False(File.Exists(PidFilePath));
    }

    private int RecordedAzuritePid()
    {
        var line = File.ReadAllLines(PidFilePath).Single(l => l.StartsWith("azurite ", StringComparison.Ordinal));
        return int.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    private static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
}
