namespace ServerlessFlow.AzureStorage;

/// <summary>
/// Azure Storage limits the backend enforces itself, each with its reason. Azurite checks some of them
/// differently (see shared/AZURITE.md), so the backend never relies on storage to reject an oversize write.
/// </summary>
internal static class AzureLimits
{
    /// <summary>Azure stores a binary property of at most 64 KiB.</summary>
    public const int MaxBinaryPropertyBytes = 64 * 1024;

    /// <summary>
    /// Raw payload bytes one row carries (9 binary properties). Azure's entity limit is 1 MiB, but Azurite
    /// measures it on the JSON body where binary is base64 (4/3 larger): 576 KiB raw is 768 KiB encoded,
    /// leaving room for the row's other columns.
    /// </summary>
    public const int MaxPayloadBytesPerRow = 9 * MaxBinaryPropertyBytes;

    /// <summary>An entity-group transaction holds at most 100 operations (Azurite answers 101 with a malformed response).</summary>
    public const int MaxOperationsPerBatch = 100;

    /// <summary>
    /// Estimated request-body bytes of one transaction. Azure rejects transactions of 4 MiB or more; the
    /// estimate (base64 payloads plus per-operation overhead) stays half a MiB below that.
    /// </summary>
    public const int MaxBatchBodyBytes = (4 * 1024 * 1024) - (512 * 1024);

    /// <summary>Bytes an operation adds to a transaction body besides its payload columns (multipart headers, keys, small columns).</summary>
    public const int BatchOperationOverheadBytes = 2 * 1024;

    /// <summary>
    /// Longest PartitionKey or RowKey in UTF-16 code units. Azure allows 1 KiB per key; 512 code units stay
    /// within it however the service counts (UTF-16 bytes or UTF-8 bytes of the escaped, mostly ASCII, key).
    /// </summary>
    public const int MaxKeyLength = 512;

    /// <summary>A filter may hold at most 15 discrete comparisons (Azure Table service).</summary>
    public const int MaxFilterComparisons = 15;

    /// <summary>A string property holds at most 64 KiB, i.e. 32 Ki UTF-16 code units; diagnostic text is kept well below.</summary>
    public const int MaxDiagnosticTextLength = 16 * 1024;

    /// <summary>A queue message holds at most 64 KiB.</summary>
    public const int MaxQueueMessageBytes = 64 * 1024;

    /// <summary>Azure Queues accept a visibility timeout (and an initial delay) of at most 7 days.</summary>
    public static readonly TimeSpan MaxVisibility = TimeSpan.FromDays(7);

    /// <summary>A receive must hide a message for at least one second.</summary>
    public static readonly TimeSpan MinReceiveVisibility = TimeSpan.FromSeconds(1);

    /// <summary>One receive returns at most 32 messages.</summary>
    public const int MaxMessagesPerReceive = 32;

    /// <summary>
    /// Time-to-live "never expires". The default is 7 days, which would expire a timer message sent with the
    /// maximum 7-day delay at the moment it became visible.
    /// </summary>
    public static readonly TimeSpan InfiniteMessageTimeToLive = TimeSpan.FromSeconds(-1);
}
