using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessFlow.TestSupport;

/// <summary>
/// A pipeline policy that runs an action once, just before the first request <c>match</c> accepts is sent (or just after its
/// response arrived): it puts a competing write, or a step of the test, exactly between two steps of the code under test.
/// </summary>
public sealed class RequestHook : HttpPipelinePolicy
{
    private readonly Lock gate = new();
    private Func<Request, bool>? match;
    private Func<Task>? action;
    private bool afterResponse;

    /// <summary>Times the action ran.</summary>
    public int Fired { get; private set; }

    /// <summary>Arms the hook.</summary>
    public void Before(Func<Request, bool> requestMatch, Func<Task> run) => Arm(requestMatch, run, after: false);

    /// <summary>Arms the hook to run once the matched request's response has arrived, before the caller sees it.</summary>
    public void After(Func<Request, bool> requestMatch, Func<Task> run) => Arm(requestMatch, run, after: true);

    /// <inheritdoc />
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var (run, after) = Take(message);
        if (run is not null && !after)
        {
            await run();
        }

        await ProcessNextAsync(message, pipeline);
        if (run is not null && after)
        {
            await run();
        }
    }

    /// <inheritdoc />
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var (run, after) = Take(message);
        if (run is not null && !after)
        {
            run().GetAwaiter().GetResult();
        }

        ProcessNext(message, pipeline);
        if (run is not null && after)
        {
            run().GetAwaiter().GetResult();
        }
    }

    private void Arm(Func<Request, bool> requestMatch, Func<Task> run, bool after)
    {
        lock (gate)
        {
            (match, action, afterResponse) = (requestMatch, run, after);
        }
    }

    private (Func<Task>? Run, bool After) Take(HttpMessage message)
    {
        // Requests run concurrently: only one may take the action.
        lock (gate)
        {
            if (match is null || !match(message.Request))
            {
                return (null, false);
            }

            var run = action;
            (match, action) = (null, null);
            Fired++;
            return (run, afterResponse);
        }
    }
}
