using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessFlow.TestSupport;

/// <summary>
/// A pipeline policy that runs an action once, just before the first request <c>match</c> accepts is sent:
/// it puts a competing write exactly between two steps of the code under test.
/// </summary>
public sealed class RequestHook : HttpPipelinePolicy
{
    private readonly Lock gate = new();
    private Func<Request, bool>? match;
    private Func<Task>? action;

    /// <summary>Times the action ran.</summary>
    public int Fired { get; private set; }

    /// <summary>Arms the hook.</summary>
    public void Before(Func<Request, bool> requestMatch, Func<Task> run)
    {
        match = requestMatch;
        action = run;
    }

    /// <inheritdoc />
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (Take(message) is { } run)
        {
            await run();
        }

        await ProcessNextAsync(message, pipeline);
    }

    /// <inheritdoc />
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (Take(message) is { } run)
        {
            run().GetAwaiter().GetResult();
        }

        ProcessNext(message, pipeline);
    }

    private Func<Task>? Take(HttpMessage message)
    {
        // Requests run concurrently: only one may take the action.
        lock (gate)
        {
            if (match is null || !match(message.Request))
            {
                return null;
            }

            var run = action;
            (match, action) = (null, null);
            Fired++;
            return run;
        }
    }
}
