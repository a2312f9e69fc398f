namespace ServerlessFlow.Bench.Engines;

/// <summary>
/// One workflow engine as the benchmark drives it: a worker running in this process against its own fresh
/// set of tables and queues, a client that starts workflows, and a way to learn when each one closed.
/// </summary>
internal interface IEngineDriver : IAsyncDisposable
{
    /// <summary>"ours" or "dtfx".</summary>
    string Name { get; }

    /// <summary>What every table, queue and blob container of this run starts with (case-insensitive).</summary>
    string ResourcePrefix { get; }

    /// <summary>Creates the engine's storage and starts its worker.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Starts one workflow of <paramref name="spec"/> and returns its ID. Counted: starting is the engine's cost.</summary>
    Task<string> StartWorkflowAsync(WorkflowSpec spec, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until the workflow closes and returns the close time the engine recorded; throws when it did not
    /// complete. Not counted: the benchmark's polling is no engine's cost.
    /// </summary>
    Task<DateTimeOffset> WaitForCompletionAsync(string workflowId, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Stops the worker (a graceful stop).</summary>
    Task StopAsync();
}
