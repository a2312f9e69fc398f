namespace ServerlessFlow.Codec;

/// <summary>
/// A stored payload cannot be decoded: it was encoded with a key this process does not have (or has with other key
/// material), it was encoded while this process has no codec configured, or it is damaged. A workflow task that meets it
/// fails (shown as the task failure on describe) and is retried with back-off, so deploying the missing key resumes it.
/// </summary>
public sealed class PayloadCodecException : ServerlessFlowException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What cannot be decoded, why, and the fix.</param>
    /// <param name="inner">The cause.</param>
    public PayloadCodecException(string message, Exception? inner = null) : base(message, inner) { }
}
