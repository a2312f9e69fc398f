using System.Globalization;
using System.Text;
using ServerlessFlow.Bench.Workloads;

namespace ServerlessFlow.Bench.Reporting;

/// <summary>Prints, per workload, each engine's figures side by side with the ratio ours/theirs, and where the requests went.</summary>
internal static class SideBySideReport
{
    private static readonly (string Label, Func<EngineResult, double?> Figure, string Format)[] Figures =
    [
        ("workflows/s", r => r.WorkflowsPerSecond, "F2"),
        ("p50 start→done, ms", r => r.P50Ms, "F0"),
        ("p95 start→done, ms", r => r.P95Ms, "F0"),
        ("requests per workflow (run)", r => r.RequestsPerWorkflow, "F1"),
        ("deferred requests per workflow", r => r.DeferredRequestsPerWorkflow, "F1"),
        ("requests per workflow, run + deferred", r => r.RequestsPerWorkflow + r.DeferredRequestsPerWorkflow, "F1"),
        ("requests per activity, run + deferred", r => r.RequestsPerActivity, "F2"),
        ("deferred window, s", r => r.DeferredSeconds, "F0"),
        ("messages still owed", r => r.OwedMessages, "F0"),
        ("step time near step 20, ms", r => r.EarlyStepMs, "F1"),
        ("step time at the last steps, ms", r => r.LateStepMs, "F1"),
        ("late / early step time", r => r.LateStepMs / r.EarlyStepMs, "F2"),
        ("largest step gap (stall), ms", r => r.StallMs, "F0"),
        ("engine CPU per workflow, ms", r => r.CpuMsPerWorkflow, "F1"),
        ("Azurite CPU per workflow, ms", r => r.StorageCpuMsPerWorkflow, "F1"),
        ("engine + Azurite CPU per workflow, ms", r => r.CpuMsPerWorkflow + r.StorageCpuMsPerWorkflow, "F1"),
        ("engine cores busy", r => r.CpuCoresBusy, "F2"),
        ("Azurite cores busy", r => r.StorageCpuCoresBusy, "F2"),
        ("bench's own requests per workflow", r => r.BenchRequestsPerWorkflow, "F1"),
        ("idle requests/s", r => r.IdleRequestsPerSecond, "F2"),
        ("requests/s 10–70 s after the last close", r => r.AfterBurstRequestsPerSecond, "F2"),
        ("peak memory, MiB", r => r.PeakMemoryMiB, "F0"),
    ];

    public static string Render(IReadOnlyList<EngineResult> medians, int runs)
    {
        var text = new StringBuilder();
        foreach (var workload in medians.GroupBy(r => r.Workload))
        {
            var ours = workload.FirstOrDefault(r => r.Engine == "ours");
            var dtfx = workload.FirstOrDefault(r => r.Engine == "dtfx");
            var any = ours ?? dtfx!;
            text.AppendLine(CultureInfo.InvariantCulture, $"== {workload.Key}: {Describe(any)}; medians of {runs} run(s)");
            text.AppendLine(CultureInfo.InvariantCulture, $"{"figure",-40}{"ours",12}{"dtfx",12}{"ours/dtfx",12}");
            foreach (var (label, figure, format) in Figures)
            {
                var (a, b) = (ours is null ? null : figure(ours), dtfx is null ? null : figure(dtfx));
                if (a is null && b is null)
                {
                    continue;
                }

                var ratio = a is { } x && b is { } y && y != 0 ? (x / y).ToString("F2", CultureInfo.InvariantCulture) + "×" : "";
                text.AppendLine(CultureInfo.InvariantCulture, $"{label,-40}{Show(a, format),12}{Show(b, format),12}{ratio,12}");
            }

            foreach (var result in workload)
            {
                var unit = result.Workload == "idle" ? "per second" : "per workflow";
                text.AppendLine(CultureInfo.InvariantCulture, $"  {result.Engine} requests by kind, {unit}: {Breakdown(result.RequestsByKind)}");
                if (result.DeferredByKind.Count > 0)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  {result.Engine} deferred requests by kind, per workflow: {Breakdown(result.DeferredByKind)}");
                }

                if (result.AfterBurstByKind.Count > 0)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  {result.Engine} requests by kind 10–70 s after the last close, per second: {Breakdown(result.AfterBurstByKind)}");
                }

                text.AppendLine(CultureInfo.InvariantCulture, $"  {result.Engine} table rows: {string.Join(", ", result.TableRows.Select(t => $"{t.Key} {t.Value}"))}");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static string Describe(EngineResult result) => result.Workload == "idle"
        ? "an engine process with nothing to do"
        : $"{result.Workflows} workflow(s) × {result.ActivitiesPerWorkflow} activities, concurrency {result.Concurrency}";

    private static string Show(double? value, string format) => value is { } v && !double.IsNaN(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string Breakdown(IReadOnlyDictionary<string, double> byKind) => string.Join(", ", byKind
        .OrderByDescending(pair => pair.Value)
        .ThenBy(pair => pair.Key, StringComparer.Ordinal)
        .Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Key} {pair.Value:F2}")));
}
