namespace ServerlessFlow.Engine.Tests;

/// <summary>Polls a condition with a deadline (never a fixed sleep).</summary>
internal static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Condition not met within the deadline; last value: {value}");
            await Task.Yield();
            await Task.Delay(20);
        }
    }
}
