using System.Diagnostics;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.TestSupport;

/// <summary>
/// A class fixture holding one visibility store seeded with <see cref="VisibilityTestData.Records"/>, written
/// 16 at a time. Seeded on first use by the test class's own store factory; read-only afterwards.
/// </summary>
public sealed class VisibilitySeed : IDisposable
{
    /// <summary>Upserts in flight while seeding.</summary>
    public const int Concurrency = 16;

    private readonly SemaphoreSlim gate = new(1, 1);
    private IVisibilityStore? store;

    /// <summary>How long the seeding took.</summary>
    public TimeSpan SeedingTime { get; private set; }

    /// <summary>The seeded store, created with <paramref name="create"/> (and initialized) on the first call.</summary>
    public async Task<IVisibilityStore> GetAsync(Func<Task<IVisibilityStore>> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        await gate.WaitAsync();
        try
        {
            if (store is null)
            {
                var created = await create();
                await created.InitializeAsync(CancellationToken.None);
                var clock = Stopwatch.StartNew();
                foreach (var chunk in VisibilityTestData.Records.Chunk(Concurrency))
                {
                    await Task.WhenAll(chunk.Select(record => created.UpsertAsync(record, CancellationToken.None)));
                }

                SeedingTime = clock.Elapsed;
                store = created;
            }

            return store;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => gate.Dispose();
}
