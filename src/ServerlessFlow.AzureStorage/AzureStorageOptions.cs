using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// Where the Azure backend keeps its tables and queues. Give either <see cref="ConnectionString"/> (Azurite,
/// or an account key) or the three of <see cref="TableServiceUri"/>, <see cref="QueueServiceUri"/> and
/// <see cref="TokenCredential"/> (managed identity in Azure).
/// </summary>
public sealed record AzureStorageOptions
{
    /// <summary>The default <see cref="Prefix"/>.</summary>
    public const string DefaultPrefix = "sf";

    /// <summary>Longest <see cref="Prefix"/>: queue names are at most 63 characters and carry "-act-" plus a 32-character task queue.</summary>
    public const int MaxPrefixLength = 26;

    /// <summary>A storage connection string, e.g. "UseDevelopmentStorage=true" or Azurite's full string.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The table service endpoint, e.g. https://account.table.core.windows.net/.</summary>
    public Uri? TableServiceUri { get; init; }

    /// <summary>The queue service endpoint, e.g. https://account.queue.core.windows.net/.</summary>
    public Uri? QueueServiceUri { get; init; }

    /// <summary>The identity used with the service URIs.</summary>
    public TokenCredential? TokenCredential { get; init; }

    /// <summary>
    /// Prefix of every table and queue name: lowercase letters and digits, starting with a letter, at most
    /// <see cref="MaxPrefixLength"/> characters. Tables are "{Prefix}workflows" and "{Prefix}deadletters";
    /// the queue of logical name L is "{Prefix}-{L}".
    /// <para>WARNING: changing it on a deployment with running workflows orphans them — they stay in the old tables.</para>
    /// </summary>
    public string Prefix { get; init; } = DefaultPrefix;

    /// <summary>Pipeline policies added to both storage clients, run once per HTTP attempt (retries included): request counting, fault injection.</summary>
    public IReadOnlyList<HttpPipelinePolicy> Policies { get; init; } = [];

    /// <summary>Retries of a transient storage failure (the SDK's retry policy) before it surfaces.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>First delay of the SDK's exponential retry backoff.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(0.8);

    /// <summary>
    /// Encodes every payload before it is stored and decodes it on read (e.g. <see cref="Codec.AesGcmPayloadCodec"/>), so that
    /// tables and queues hold no plaintext business data; null stores payloads as plain JSON. Search attributes stay plain in the
    /// instance row and the visibility index (which filters on them). Rows stored before a codec was configured stay readable.
    /// <para>WARNING: every process on the same storage (workers, HTTP API, clients) needs the codec and the keys stored payloads
    /// were encoded with; a process without them fails the tasks of those workflows (shown on describe) until it gets them.</para>
    /// </summary>
    public Codec.IPayloadCodec? PayloadCodec { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the problem and the fix when the options cannot be used.</summary>
    public void Validate()
    {
        ValidatePrefix(Prefix);
        var hasUris = TableServiceUri is not null || QueueServiceUri is not null || TokenCredential is not null;
        if (string.IsNullOrWhiteSpace(ConnectionString) == !hasUris)
        {
            throw new ArgumentException(hasUris
                ? "AzureStorageOptions has both a ConnectionString and service URIs or a TokenCredential: give one or the other."
                : "AzureStorageOptions has no storage account: set ConnectionString, or TableServiceUri, QueueServiceUri and TokenCredential.");
        }

        if (hasUris && (TableServiceUri is null || QueueServiceUri is null || TokenCredential is null))
        {
            throw new ArgumentException(
                "AzureStorageOptions without a ConnectionString needs all of TableServiceUri, QueueServiceUri and TokenCredential; one of them is missing.");
        }

        if (MaxRetries < 0 || RetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("AzureStorageOptions.MaxRetries and RetryDelay must not be negative.");
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="prefix"/> is a valid <see cref="Prefix"/>.</summary>
    public static void ValidatePrefix(string? prefix)
    {
        var valid = prefix is { Length: > 0 and <= MaxPrefixLength }
            && prefix[0] is >= 'a' and <= 'z'
            && prefix.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9'));
        if (!valid)
        {
            throw new ArgumentException(
                $"Storage prefix '{prefix}' is invalid: use 1–{MaxPrefixLength} lowercase letters and digits, starting with a letter (it begins table and queue names).",
                nameof(prefix));
        }
    }
}
