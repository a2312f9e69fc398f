namespace ServerlessFlow.Hosting.Configuration;

/// <summary>
/// The configuration keys every host reads, in <see cref="Microsoft.Extensions.Configuration.IConfiguration"/>
/// form (':' separated). As app settings and environment variables, write ':' as "__"
/// (e.g. <c>ServerlessFlow__TaskQueues</c>).
/// </summary>
public static class HostingSettingNames
{
    /// <summary>
    /// The storage connection, named like an Azure Functions connection: either a connection string, or
    /// a section with <c>tableServiceUri</c> and <c>queueServiceUri</c> (or <c>accountName</c>),
    /// <c>credential</c> (<c>managedidentity</c>) and <c>clientId</c>. The queue triggers name the same connection.
    /// </summary>
    public const string StorageConnection = "ServerlessFlowStorage";

    /// <summary>Prefix of the engine's table and queue names; <c>sf</c> by default.</summary>
    public const string StoragePrefix = "ServerlessFlow:Storage:Prefix";

    /// <summary>Comma-separated task queues this process serves; <c>default</c> by default.</summary>
    public const string TaskQueues = "ServerlessFlow:TaskQueues";

    /// <summary>
    /// Most workflow tasks this process runs at once (<see cref="Engine.WorkerOptions.MaxConcurrentWorkflowTasks"/>);
    /// a whole number from 1. Applies to the polling worker (the dev server, self-hosted apps); on Azure Functions the
    /// queue trigger's <c>batchSize</c> and <c>newBatchThreshold</c> in host.json bound concurrency instead.
    /// </summary>
    public const string MaxConcurrentWorkflowTasks = "ServerlessFlow:MaxConcurrentWorkflowTasks";

    /// <summary>
    /// Most activity attempts this process runs at once (<see cref="Engine.WorkerOptions.MaxConcurrentActivities"/>);
    /// a whole number from 1. Applies to the polling worker, like <see cref="MaxConcurrentWorkflowTasks"/>.
    /// </summary>
    public const string MaxConcurrentActivities = "ServerlessFlow:MaxConcurrentActivities";

    /// <summary>
    /// Days a closed workflow is kept (counted from its close) before retention purges its history, rows and index entries;
    /// a whole number from 1. Absent or <c>0</c> keeps the engine's default, 30 days.
    /// </summary>
    public const string RetentionDays = "ServerlessFlow:RetentionDays";

    /// <summary>
    /// Physical name of the workflow-task queue a queue trigger binds to (<c>{prefix}-wf-{taskQueue}</c>);
    /// the first task queue's by default. Trigger attributes name it as <c>%ServerlessFlow:WorkflowQueue%</c>.
    /// </summary>
    public const string WorkflowQueue = "ServerlessFlow:WorkflowQueue";

    /// <summary>Physical name of the activity-task queue a queue trigger binds to (<c>{prefix}-act-{taskQueue}</c>); the first task queue's by default.</summary>
    public const string ActivityQueue = "ServerlessFlow:ActivityQueue";

    /// <summary>
    /// The ID of the key new payloads are encoded with (<see cref="Codec.AesGcmPayloadCodec"/>). Set it, and the keys under
    /// <see cref="PayloadCodecKeys"/>, to store no plaintext payloads; absent, payloads are stored as plain JSON.
    /// </summary>
    public const string PayloadCodecCurrentKeyId = "ServerlessFlow:PayloadCodec:CurrentKeyId";

    /// <summary>
    /// The payload keys by ID, each base64 of 16, 24 or 32 random bytes: <c>ServerlessFlow:PayloadCodec:Keys:{id}</c>
    /// (as an app setting <c>ServerlessFlow__PayloadCodec__Keys__{id}</c>, which may be a Key Vault reference). Keep every key
    /// that stored data was encoded with.
    /// </summary>
    public const string PayloadCodecKeys = "ServerlessFlow:PayloadCodec:Keys";

    /// <summary>The connection's table endpoint (identity-based connections).</summary>
    public const string TableServiceUri = "tableServiceUri";

    /// <summary>The connection's queue endpoint (identity-based connections).</summary>
    public const string QueueServiceUri = "queueServiceUri";

    /// <summary>The storage account name, from which both endpoints are derived when they are not given.</summary>
    public const string AccountName = "accountName";

    /// <summary>The credential kind; <c>managedidentity</c> uses the app's managed identity.</summary>
    public const string Credential = "credential";

    /// <summary>The client ID of a user-assigned managed identity.</summary>
    public const string ClientId = "clientId";
}
