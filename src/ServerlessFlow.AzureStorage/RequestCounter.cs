using System.Collections.Concurrent;
using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// Counts storage requests — the unit of cost on Azure and of throughput on Azurite. Add it to
/// <see cref="AzureStorageOptions.Policies"/>; it runs once per HTTP attempt, so SDK retries count too.
/// Counts are kept in total and per "{METHOD} {resource}", where the resource is the table or queue name
/// ("$batch" for entity-group transactions). Thread-safe.
/// </summary>
public sealed class RequestCounter : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, long> byResource = new(StringComparer.Ordinal);
    private readonly AsyncLocal<bool> excluded = new();
    private long total;

    /// <summary>
    /// Leaves out the requests made in this async flow until the returned scope is disposed: a benchmark
    /// uses it so that its own polling for results does not count as the engine's cost.
    /// </summary>
    public IDisposable Exclude()
    {
        excluded.Value = true;
        return new Scope(this);
    }

    /// <inheritdoc />
    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        return ProcessNextAsync(message, pipeline);
    }

    /// <inheritdoc />
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        ProcessNext(message, pipeline);
    }

    /// <summary>Requests so far.</summary>
    public long Total => Interlocked.Read(ref total);

    /// <summary>The counts so far.</summary>
    public RequestCountSnapshot Snapshot() =>
        new(Interlocked.Read(ref total), new Dictionary<string, long>(byResource, StringComparer.Ordinal));

    /// <summary>The counts per "{METHOD} {resource}", most frequent first, e.g. "POST $batch: 12, GET sfworkflows: 5".</summary>
    public string Describe() => Snapshot().ToString();

    /// <summary>Sets every count to zero.</summary>
    public void Reset()
    {
        byResource.Clear();
        Interlocked.Exchange(ref total, 0);
    }

    private void Count(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (excluded.Value)
        {
            return;
        }

        Interlocked.Increment(ref total);
        byResource.AddOrUpdate(Kind(message), 1, (_, count) => count + 1);
    }

    /// <summary>A request's kind as the counts name it: "{METHOD} {table or queue}".</summary>
    internal static string Kind(HttpMessage message) => $"{message.Request.Method} {Resource(message.Request.Uri.ToUri())}";

    private sealed class Scope(RequestCounter counter) : IDisposable
    {
        public void Dispose() => counter.excluded.Value = false;
    }

    /// <summary>The table or queue a request is about; emulators put the account first in the path.</summary>
    private static string Resource(Uri uri)
    {
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var pathStyle = uri.IsLoopback || IPAddress.TryParse(uri.Host, out _);
        var first = pathStyle ? 1 : 0;
        if (segments.Length <= first)
        {
            return "(account)";
        }

        var resource = Uri.UnescapeDataString(segments[first]);
        var parenthesis = resource.IndexOf('(', StringComparison.Ordinal);
        return parenthesis > 0 ? resource[..parenthesis] : resource;
    }
}

/// <summary>Request counts at one moment.</summary>
/// <param name="Total">Every request.</param>
/// <param name="ByResource">Requests per "{METHOD} {table or queue}", e.g. "GET sfworkflows" or "POST $batch".</param>
public sealed record RequestCountSnapshot(long Total, IReadOnlyDictionary<string, long> ByResource)
{
    /// <summary>Requests whose key ends with " {resource}" (any method).</summary>
    public long For(string resource) =>
        ByResource.Where(pair => pair.Key.EndsWith(" " + resource, StringComparison.Ordinal)).Sum(pair => pair.Value);

    /// <summary>"{key}: {count}" pairs, most frequent first.</summary>
    public override string ToString() =>
        string.Join(", ", ByResource.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}: {pair.Value}"));
}
