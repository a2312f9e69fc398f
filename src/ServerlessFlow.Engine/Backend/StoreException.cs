namespace ServerlessFlow.Engine.Backend;

/// <summary>
/// A storage failure that is not a handled conflict, translated in one place by each backend.
/// Transient faults have already been retried by the time this is thrown.
/// </summary>
public sealed class StoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreException(string message, int status, bool isTooLarge = false, Exception? inner = null) : base(message, inner)
    {
        Status = status;
        IsTooLarge = isTooLarge;
    }

    /// <summary>The HTTP status storage answered with (0 if none).</summary>
    public int Status { get; }

    /// <summary>True when the request broke a size limit.</summary>
    public bool IsTooLarge { get; }
}
