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

    /// <summary>A queue send is applied with extra visibility delay: the message arrives late.</summary>
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
    /// <summary>The queue's longest visibility delay (7 days), in seconds.</summary>
    private const int MaxVisibilitySeconds = 7 * 24 * 3600;

    private const string VisibilityParameter = "visibilitytimeout=";

    private readonly List<Rule> rules = [];
    private readonly FaultRates rates;
    private readonly Random? random;
    private readonly int[] injectedByTiming = new int[Enum.GetValues<FaultTiming>().Length];
    private int injected;

    /// <summary>A policy that injects only what <see cref="FailNext"/> asks for.</summary>
    public FaultInjectionPolicy()
    {
        rates = FaultRates.None;
    }

    /// <summary>A policy that also injects faults at random with <paramref name="rates"/>, drawn from a generator seeded with <paramref name="seed"/>.</summary>
    public FaultInjectionPolicy(FaultRates rates, int seed)
    {
        ArgumentNullException.ThrowIfNull(rates);
        rates.Validate();
        this.rates = rates;
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
        switch (timing)
        {
            case FaultTiming.BeforeSend:
                throw Fault(message, timing.Value);
            case FaultTiming.DelaySend:
                AddVisibilityDelay(message.Request, extraDelay);
                break;
        }

        await ProcessNextAsync(message, pipeline);
        if (timing == FaultTiming.DuplicateSend && message.Response.Status < 300)
        {
            await ProcessNextAsync(message, pipeline);
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
        switch (timing)
        {
            case FaultTiming.BeforeSend:
                throw Fault(message, timing.Value);
            case FaultTiming.DelaySend:
                AddVisibilityDelay(message.Request, extraDelay);
                break;
        }

        ProcessNext(message, pipeline);
        if (timing == FaultTiming.DuplicateSend && message.Response.Status < 300)
        {
            ProcessNext(message, pipeline);
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
                : send < rates.DuplicateSend + rates.DelaySend ? Count(FaultTiming.DelaySend, delay)
                : (null, TimeSpan.Zero);
        }
    }

    private (FaultTiming?, TimeSpan) Count(FaultTiming timing, TimeSpan extraDelay)
    {
        Interlocked.Increment(ref injected);
        Interlocked.Increment(ref injectedByTiming[(int)timing]);
        return (timing, extraDelay);
    }

    /// <summary>Adds <paramref name="extra"/> to a queue send's visibilitytimeout (whole seconds, the queue's unit; at least one).</summary>
    private static void AddVisibilityDelay(Request request, TimeSpan extra)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(extra.TotalSeconds));
        var parameters = request.Uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).ToList();
        var index = parameters.FindIndex(p => p.StartsWith(VisibilityParameter, StringComparison.Ordinal));
        var current = index < 0 ? 0 : int.Parse(parameters[index][VisibilityParameter.Length..], System.Globalization.CultureInfo.InvariantCulture);
        var delayed = VisibilityParameter + Math.Min(current + seconds, MaxVisibilitySeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (index < 0)
        {
            parameters.Add(delayed);
        }
        else
        {
            parameters[index] = delayed;
        }

        request.Uri.Query = "?" + string.Join('&', parameters);
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
