using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// The Azure backend: workflow state in the table "{Prefix}workflows", task queues "{Prefix}-{logical name}",
/// dead letters in the table "{Prefix}deadletters", the visibility index in the table "{Prefix}visibility". Create it once per process and share it.
/// </summary>
/// <example><code>
/// var backend = AzureStorageBackend.Create(new AzureStorageOptions { ConnectionString = "UseDevelopmentStorage=true" });
/// await backend.Store.InitializeAsync(ct);
/// var (store, queues) = backend;
/// </code></example>
public sealed class AzureStorageBackend
{
    /// <summary>
    /// The Queue service version the client speaks. Azure.Storage.Queues 12.28.1 defaults to 2026-10-06, which
    /// Azurite 3.37.0 rejects (400 InvalidHeaderValue) unless started with --skipApiVersionCheck; 2026-06-06 is
    /// the newest both accept, and it has every operation the backend uses.
    /// </summary>
    private const QueueClientOptions.ServiceVersion QueueServiceVersion = QueueClientOptions.ServiceVersion.V2026_06_06;

    private AzureStorageBackend(
        AzureStorageOptions options, IWorkflowStore store, ITaskQueues queues, AzureDeadLetters deadLetters, IVisibilityStore visibility, IScheduleStore schedules)
    {
        Options = options;
        Store = store;
        Queues = queues;
        DeadLetters = deadLetters;
        Visibility = visibility;
        Schedules = schedules;
    }

    /// <summary>The options it was created with.</summary>
    public AzureStorageOptions Options { get; }

    /// <summary>The workflow store. <see cref="IWorkflowStore.InitializeAsync"/> creates both tables.</summary>
    public IWorkflowStore Store { get; }

    /// <summary>The task queues; queues are created by <see cref="ITaskQueues.EnsureQueueAsync"/> or on first send.</summary>
    public ITaskQueues Queues { get; }

    /// <summary>Dead letters: list, re-enqueue, delete.</summary>
    public AzureDeadLetters DeadLetters { get; }

    /// <summary>The visibility index; its <see cref="IVisibilityStore.InitializeAsync"/> creates its table.</summary>
    public IVisibilityStore Visibility { get; }

    /// <summary>Schedules, in the table "{Prefix}schedules"; <see cref="IScheduleStore.InitializeAsync"/> creates it.</summary>
    public IScheduleStore Schedules { get; }

    /// <summary>Creates the backend's clients (no storage request is made).</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message says how to fix them.</exception>
    public static AzureStorageBackend Create(AzureStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var tableOptions = new TableClientOptions();
        var queueOptions = new QueueClientOptions(QueueServiceVersion) { MessageEncoding = QueueMessageEncoding.None };
        Configure(tableOptions, options);
        Configure(queueOptions, options);

        var tables = options.ConnectionString is { } connection
            ? new TableServiceClient(connection, tableOptions)
            : new TableServiceClient(options.TableServiceUri!, options.TokenCredential!, tableOptions);
        var queueService = options.ConnectionString is { } queueConnection
            ? new QueueServiceClient(queueConnection, queueOptions)
            : new QueueServiceClient(options.QueueServiceUri!, options.TokenCredential!, queueOptions);

        var workflowTable = tables.GetTableClient(WorkflowTableName(options.Prefix));
        var deadLetterTable = tables.GetTableClient(DeadLetterTableName(options.Prefix));
        var queues = new AzureTaskQueues(queueService, options.Prefix, deadLetterTable);
        var stored = new StoredJson(options.PayloadCodec);
        var store = new AzureWorkflowStore(workflowTable, deadLetterTable, stored);
        var visibility = new AzureVisibilityStore(tables.GetTableClient(VisibilityTableName(options.Prefix)));
        var schedules = new AzureScheduleStore(tables.GetTableClient(ScheduleTableName(options.Prefix)), stored);
        return new AzureStorageBackend(options, store, queues, new AzureDeadLetters(deadLetterTable, queues), visibility, schedules);
    }

    /// <summary>Deconstructs into the two halves of the backend contract.</summary>
    /// <param name="store">The workflow store.</param>
    /// <param name="queues">The task queues.</param>
    public void Deconstruct(out IWorkflowStore store, out ITaskQueues queues)
    {
        store = Store;
        queues = Queues;
    }

    /// <summary>The storage queue name of <paramref name="logicalQueue"/> (from <see cref="QueueNames"/>) under this backend's prefix.</summary>
    public string PhysicalQueueName(string logicalQueue) => PhysicalQueueName(Options.Prefix, logicalQueue);

    /// <summary>
    /// The storage queue name of <paramref name="logicalQueue"/> under <paramref name="prefix"/>: "{prefix}-{logicalQueue}",
    /// e.g. "sf-wf-default". Function App queue triggers are bound to these names.
    /// </summary>
    /// <exception cref="ArgumentException">The result is not a valid storage queue name.</exception>
    public static string PhysicalQueueName(string prefix, string logicalQueue)
    {
        AzureStorageOptions.ValidatePrefix(prefix);
        ArgumentNullException.ThrowIfNull(logicalQueue);
        var name = prefix + "-" + logicalQueue;
        var valid = name.Length is >= 3 and <= 63
            && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
            && name[^1] != '-' && !name.Contains("--", StringComparison.Ordinal);
        return valid
            ? name
            : throw new ArgumentException(
                $"Queue name '{name}' is invalid: storage queue names are 3–63 lowercase letters, digits and single hyphens. Use a task queue name accepted by QueueNames.Validate.",
                nameof(logicalQueue));
    }

    /// <summary>The table holding every workflow's rows: "{prefix}workflows".</summary>
    public static string WorkflowTableName(string prefix)
    {
        AzureStorageOptions.ValidatePrefix(prefix);
        return prefix + "workflows";
    }

    /// <summary>The dead-letter table: "{prefix}deadletters".</summary>
    public static string DeadLetterTableName(string prefix)
    {
        AzureStorageOptions.ValidatePrefix(prefix);
        return prefix + "deadletters";
    }

    /// <summary>The schedule table: "{prefix}schedules".</summary>
    public static string ScheduleTableName(string prefix)
    {
        AzureStorageOptions.ValidatePrefix(prefix);
        return prefix + "schedules";
    }

    /// <summary>The visibility index table: "{prefix}visibility".</summary>
    public static string VisibilityTableName(string prefix)
    {
        AzureStorageOptions.ValidatePrefix(prefix);
        return prefix + "visibility";
    }

    /// <summary>Adds the request metric and the caller's policies (once per attempt, so retries are seen) and the retry settings.</summary>
    private static void Configure(ClientOptions clientOptions, AzureStorageOptions options)
    {
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = options.RetryDelay;
        clientOptions.AddPolicy(StorageRequestMetrics.Instance, HttpPipelinePosition.PerRetry);
        foreach (var policy in options.Policies)
        {
            clientOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }
    }
}
