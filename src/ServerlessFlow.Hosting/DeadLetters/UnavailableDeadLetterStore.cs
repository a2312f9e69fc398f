namespace ServerlessFlow.Hosting.DeadLetters;

/// <summary>The dead-letter store of a backend whose dead letters the API cannot read: every call says so (501).</summary>
internal sealed class UnavailableDeadLetterStore : IDeadLetterStore
{
    public static UnavailableDeadLetterStore Instance { get; } = new();

    public Task<DeadLetterEntryPage> ListAsync(string? queue, int pageSize, string? continuationToken, CancellationToken cancellationToken) => throw Unavailable();

    public Task<bool> ReplayAsync(string queue, string messageId, CancellationToken cancellationToken) => throw Unavailable();

    public Task<bool> DeleteAsync(string queue, string messageId, CancellationToken cancellationToken) => throw Unavailable();

    private static DeadLettersUnavailableException Unavailable() => new(
        "This server's workflow backend keeps no dead letters that the HTTP API can read: listing and replaying them needs the " +
        "Azure Storage backend (a ServerlessFlowStorage connection, which ./build.sh dev configures with Azurite). " +
        "The in-memory backend keeps them inside the process only.");
}
