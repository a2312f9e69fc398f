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

    /// <summary>A queue send reaches storage twice: two messages with the same body (at-least-once delivery).</summary>
    DuplicateSend,

    /// <summary>A queue send is applied, then its message's visibility is pushed back: the message arrives late.</summary>
    DelaySend,
}

/// <summary>
/// A storage pipeline policy that fails chosen requests, before or after they reach storage, with the same
/// exception a broken connection gives (a <see cref="RequestFailedException"/> with status 0 around an
/// <see cref="IOException"/>, which the SDK retries). Add it as a per-retry policy so every attempt passes it.
/// Faults come from rules (<see cref="FailNext"/>), which tests aim at one request, and — when created with
/// <see cref="FaultRates"/> and a seed — from a seeded random draw per request, which chaos runs use; that mode
/// also duplicates and delays queue sends.
/// </summary>
public sealed class FaultInjectionPolicy : HttpPipelinePolicy
{
    private const string VisibilityParameter = "visibilitytimeout=";

    /// <summary>The queue's longest visibility delay.</summary>
    private static readonly TimeSpan MaxVisibility = TimeSpan.FromDays(7);

    private readonly List<Rule> rules = [];
    private readonly FaultRates rates;
    private readonly Random? random;
    private readonly Func<string, string, string, TimeSpan, Task<bool>>? delayMessage;
    private readonly int[] injectedByTiming = new int[Enum.GetValues<FaultTiming>().Length];
    private int injected;

    /// <summary>A policy that injects only what <see cref="FailNext"/> asks for.</summary>
    public FaultInjectionPolicy()
    {
        rates = FaultRates.None;
    }

    /// <summary>
    /// A policy that also injects faults at random with <paramref name="rates"/>, drawn from a generator seeded with
    /// <paramref name="seed"/>. A delayed send is made by <paramref name="delayMessage"/> after the send succeeded: the
    /// request itself cannot change once the SDK has signed it, so the message's visibility is pushed back through
    /// another client — (queue, message ID, pop receipt, new visibility timeout), true if it was still there to delay.
    /// </summary>
    public FaultInjectionPolicy(FaultRates rates, int seed, Func<string, string, string, TimeSpan, Task<bool>> delayMessage)
    {
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(delayMessage);
        rates.Validate();
        this.rates = rates;
        this.delayMessage = delayMessage;
        random = new Random(seed);
    }

    /// <summary>Faults injected so far.</summary>
    public int Injected => Volatile.Read(ref injected);

    /// <summary>Faults of one kind injected so far.</summary>
    public int InjectedOf(FaultTiming timing) => Volatile.Read(ref injectedByTiming[(int)timing]);

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

    /// <summary>Matches queue message sends (POST …/messages).</summary>
    public static bool IsQueueSend(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Method == RequestMethod.Post && request.Uri.Path.EndsWith("/messages", StringComparison.Ordinal);
    }

    /// <summary>Matches every request with <paramref name="method"/>.</summary>
    public static Func<Request, bool> WithMethod(RequestMethod method) => request => request.Method == method;

    /// <inheritdoc />
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var (timing, extraDelay) = Take(message);
        if (timing == FaultTiming.BeforeSend)
        {
            throw Fault(message, timing.Value);
        }

        await ProcessNextAsync(message, pipeline);
        if (timing == FaultTiming.DuplicateSend && message.Response.Status < 300)
        {
            await ProcessNextAsync(message, pipeline);
        }

        if (timing == FaultTiming.DelaySend && message.Response.Status < 300)
        {
            await DelayAsync(message, extraDelay);
        }

        if (timing == FaultTiming.AfterSend)
        {
            throw Fault(message, timing.Value);
        }
    }

    /// <inheritdoc />
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var (timing, extraDelay) = Take(message);
        if (timing == FaultTiming.BeforeSend)
        {
            throw Fault(message, timing.Value);
        }

        ProcessNext(message, pipeline);
        if (timing == FaultTiming.DuplicateSend && message.Response.Status < 300)
        {
            ProcessNext(message, pipeline);
        }

        if (timing == FaultTiming.DelaySend && message.Response.Status < 300)
        {
            DelayAsync(message, extraDelay).GetAwaiter().GetResult();
        }

        if (timing == FaultTiming.AfterSend)
        {
            throw Fault(message, timing.Value);
        }
    }

    private (FaultTiming? Timing, TimeSpan ExtraDelay) Take(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (rules)
        {
            var rule = rules.Find(r => r.Remaining > 0 && r.Match(message.Request));
            if (rule is not null)
            {
                rule.Remaining--;
                return Count(rule.Timing, TimeSpan.Zero);
            }

            if (random is null)
            {
                return (null, TimeSpan.Zero);
            }

            // One draw for failures, one for queue-send faults: the sequence of draws depends on the seed alone.
            var failure = random.NextDouble();
            var send = random.NextDouble();
            var delay = TimeSpan.FromMilliseconds(random.NextDouble() * rates.MaxExtraDelay.TotalMilliseconds);
            if (failure < rates.BeforeSend)
            {
                return Count(FaultTiming.BeforeSend, TimeSpan.Zero);
            }

            if (failure < rates.BeforeSend + rates.AfterSend)
            {
                return Count(FaultTiming.AfterSend, TimeSpan.Zero);
            }

            if (!IsQueueSend(message.Request))
            {
                return (null, TimeSpan.Zero);
            }

            return send < rates.DuplicateSend ? Count(FaultTiming.DuplicateSend, TimeSpan.Zero)
                : send < rates.DuplicateSend + rates.DelaySend ? (FaultTiming.DelaySend, delay) // counted once applied
                : (null, TimeSpan.Zero);
        }
    }

    private (FaultTiming?, TimeSpan) Count(FaultTiming timing, TimeSpan extraDelay)
    {
        Interlocked.Increment(ref injected);
        Interlocked.Increment(ref injectedByTiming[(int)timing]);
        return (timing, extraDelay);
    }

    /// <summary>
    /// Pushes the message just sent back by <paramref name="extra"/> past the visibility it was sent with, using the
    /// message ID and pop receipt of the send's (buffered) response, which is rewound for the caller.
    /// </summary>
    private async Task DelayAsync(HttpMessage message, TimeSpan extra)
    {
        var content = message.Response.ContentStream;
        if (content is not { CanSeek: true } || delayMessage is null)
        {
            return;
        }

        var sent = System.Xml.Linq.XDocument.Load(content);
        content.Position = 0;
        var id = sent.Descendants("MessageId").FirstOrDefault()?.Value;
        var receipt = sent.Descendants("PopReceipt").FirstOrDefault()?.Value;
        var segments = message.Request.Uri.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (id is null || receipt is null || segments.Length < 2)
        {
            return;
        }

        var visibility = message.Request.Uri.Query.TrimStart('?').Split('&')
            .Where(p => p.StartsWith(VisibilityParameter, StringComparison.Ordinal))
            .Select(p => TimeSpan.FromSeconds(int.Parse(p[VisibilityParameter.Length..], System.Globalization.CultureInfo.InvariantCulture)))
            .FirstOrDefault();
        var delayed = visibility + TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(extra.TotalSeconds)));
        if (delayed <= MaxVisibility && await delayMessage(segments[^2], id, receipt, delayed))
        {
            Interlocked.Increment(ref injectedByTiming[(int)FaultTiming.DelaySend]);
            Interlocked.Increment(ref injected);
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
