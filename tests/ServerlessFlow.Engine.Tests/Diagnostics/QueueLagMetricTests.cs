using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.Diagnostics;

namespace ServerlessFlow.Engine.Tests.Diagnostics;

/// <summary>The queue-lag histogram: how long a message waited in its queue after it was due, read through a <see cref="MeterListener"/>.</summary>
public sealed class QueueLagMetricTests : IDisposable
{
    private const string Instrument = "serverlessflow.task.queue_lag";

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<(double Seconds, string? Kind)> measurements = new();
    private readonly MeterListener listener = new();
    private readonly ServiceProvider provider;

    public QueueLagMetricTests()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ServerlessFlowTelemetry.Name && instrument.Name == Instrument)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            string? queue = null, kind = null;
            foreach (var tag in tags)
            {
                queue = tag.Key == TagNames.Queue ? tag.Value as string : queue;
                kind = tag.Key == TagNames.TaskKind ? tag.Value as string : kind;
            }

            // Other tests of the assembly run engines at the same time: keep only this test's queue.
            if (queue == QueueName)
            {
                measurements.Enqueue((value, kind));
            }
        });
        listener.Start();

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddServerlessFlow(flow => flow.UseInMemoryBackend(clock));
        provider = services.BuildServiceProvider();
    }

    private string QueueName { get; } = QueueNames.Workflow("lag" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task HandleAsync_MessageWaitedAfterItWasDue_RecordsTheWaitForFirstDeliveriesOnly()
    {
        var queues = provider.GetRequiredService<ITaskQueues>();
        var handler = provider.GetRequiredService<ITaskHandler>();
        var message = new WorkflowTaskMessage { WorkflowId = "no-such-workflow" };
        await queues.SendAsync(QueueName, message, TimeSpan.Zero, CancellationToken.None);
        await queues.SendAsync(QueueName, message, TimeSpan.FromSeconds(10), CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(3));
        var first = Assert.Single(await queues.ReceiveAsync(QueueName, 10, TimeSpan.FromSeconds(5), CancellationToken.None));
        await handler.HandleAsync(first, CancellationToken.None); // Not deleted (the worker deletes): it comes back after 5 s.
        clock.Advance(TimeSpan.FromSeconds(9)); // The delayed one has been due for 2 s; the first is visible again (a redelivery).
        var later = await queues.ReceiveAsync(QueueName, 10, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(2, later.Count);
        foreach (var received in later)
        {
            await handler.HandleAsync(received, CancellationToken.None);
        }

        Assert.Equal([3.0, 2.0], measurements.Select(m => m.Seconds));
        Assert.All(measurements, m => Assert.Equal(nameof(TaskKind.Workflow), m.Kind));
    }

    public void Dispose()
    {
        listener.Dispose();
        provider.Dispose();
    }
}
