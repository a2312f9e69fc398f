using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessFlow.Bench.Counting;

/// <summary>
/// Counts storage requests by <see cref="RequestKind"/>. Both engines' clients get this same pipeline policy,
/// so their figures are counted by the same rules; it runs once per HTTP attempt, so SDK retries count too.
/// </summary>
internal sealed class RequestTally(StorageEndpoints endpoints) : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<string, long> byKind = new(StringComparer.Ordinal);
    private readonly AsyncLocal<bool> excluded = new();
    private long benchOwn;

    /// <summary>Leaves out this async flow's requests until disposed: the benchmark's own result polling is no engine's cost.</summary>
    public IDisposable Exclude()
    {
        excluded.Value = true;
        return new Scope(this);
    }

    public RequestCounts Snapshot() => new(new Dictionary<string, long>(byKind, StringComparer.Ordinal), Interlocked.Read(ref benchOwn));

    /// <summary>Counts each answered attempt.</summary>
    public override void OnReceivedResponse(HttpMessage message)
    {
        if (excluded.Value)
        {
            // Not the engine's cost, but Azurite serves it: counted apart so that its CPU can be told from the engine's.
            Interlocked.Increment(ref benchOwn);
            return;
        }

        var uri = message.Request.Uri.ToUri();
        var kind = RequestKind.Classify(endpoints.ServiceOf(uri), message.Request.Method.ToString(), uri);
        if (kind == "queue receive" && message.HasResponse && message.Response.Status == 200
            && RequestKind.IsEmptyReceive(message.Response.Content.ToString()))
        {
            kind = "queue receive (empty)";
        }

        byKind.AddOrUpdate(kind, 1, (_, count) => count + 1);
    }

    private sealed class Scope(RequestTally tally) : IDisposable
    {
        public void Dispose() => tally.excluded.Value = false;
    }
}
