using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessFlow.TestSupport;

/// <summary>When an injected fault strikes.</summary>
public enum FaultTiming
{
    /// <summary>The request never reaches storage: nothing was applied.</summary>
    BeforeSend,

    /// <summary>
    /// The request reaches storage and is applied, then its response is replaced by a transport failure:
    /// the caller cannot know whether it happened (the ambiguous case). The SDK's retry may re-send it.
    /// </summary>
    AfterSend,
}

/// <summary>
/// A storage pipeline policy that fails chosen requests, before or after they reach storage, with the same
/// exception a broken connection gives (a <see cref="RequestFailedException"/> with status 0 around an
/// <see cref="IOException"/>, which the SDK retries). Add it as a per-retry policy so every attempt passes it.
/// </summary>
public sealed class FaultInjectionPolicy : HttpPipelinePolicy
{
    private readonly List<Rule> rules = [];
    private int injected;

    /// <summary>Faults injected so far.</summary>
    public int Injected => Volatile.Read(ref injected);

    /// <summary>Fails the next <paramref name="times"/> requests that <paramref name="match"/> accepts.</summary>
    public void FailNext(Func<Request, bool> match, FaultTiming timing, int times = 1)
    {
        ArgumentNullException.ThrowIfNull(match);
        lock (rules)
        {
            rules.Add(new Rule(match, timing, times));
        }
    }

    /// <summary>Removes every rule that has not struck yet.</summary>
    public void Clear()
    {
        lock (rules)
        {
            rules.Clear();
        }
    }

    /// <summary>Matches entity-group transactions (POST …/$batch).</summary>
    public static bool IsTransaction(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Method == RequestMethod.Post && request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal);
    }

    /// <summary>Matches every request with <paramref name="method"/>.</summary>
    public static Func<Request, bool> WithMethod(RequestMethod method) => request => request.Method == method;

    /// <inheritdoc />
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var timing = Take(message);
        if (timing == FaultTiming.BeforeSend)
        {
            throw Fault(message, timing.Value);
        }

        await ProcessNextAsync(message, pipeline);
        if (timing == FaultTiming.AfterSend)
        {
            throw Fault(message, timing.Value);
        }
    }

    /// <inheritdoc />
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var timing = Take(message);
        if (timing == FaultTiming.BeforeSend)
        {
            throw Fault(message, timing.Value);
        }

        ProcessNext(message, pipeline);
        if (timing == FaultTiming.AfterSend)
        {
            throw Fault(message, timing.Value);
        }
    }

    private FaultTiming? Take(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (rules)
        {
            var rule = rules.Find(r => r.Remaining > 0 && r.Match(message.Request));
            if (rule is null)
            {
                return null;
            }

            rule.Remaining--;
            Interlocked.Increment(ref injected);
            return rule.Timing;
        }
    }

    private static RequestFailedException Fault(HttpMessage message, FaultTiming timing) =>
        new($"Injected fault ({timing}) on {message.Request.Method} {message.Request.Uri.Path}",
            new IOException("The connection was reset (injected by FaultInjectionPolicy)."));

    private sealed class Rule(Func<Request, bool> match, FaultTiming timing, int remaining)
    {
        public Func<Request, bool> Match { get; } = match;

        public FaultTiming Timing { get; } = timing;

        public int Remaining { get; set; } = remaining;
    }
}
