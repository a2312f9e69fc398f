using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Engine.Tests;

/// <summary>The engine tests' spelling of <see cref="Polling"/>: a value read until a condition holds, 30 s unless told.</summary>
internal static class Eventually
{
    public static Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? within = null) =>
        Polling.UntilAsync(read, done, within ?? TimeSpan.FromSeconds(30), "the condition");
}
