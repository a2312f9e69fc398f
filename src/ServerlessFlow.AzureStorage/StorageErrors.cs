using Azure;
using Azure.Data.Tables;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// The one place where Azure storage failures become <see cref="StoreException"/>s, and the predicates that
/// classify the failures callers handle themselves (conflicts, missing rows, stale pop receipts, transport
/// failures whose outcome is unknown). Transient faults were already retried by the SDK's retry policy.
/// </summary>
internal static class StorageErrors
{
    private static readonly HashSet<string> TooLargeCodes = new(StringComparer.Ordinal)
    {
        "EntityTooLarge", "PropertyValueTooLarge", "RequestBodyTooLarge", "MessageTooLarge", "RequestEntityTooLarge",
    };

    /// <summary>Runs a storage call, translating every failure it does not handle itself.</summary>
    public static async Task<T> Run<T>(string operation, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (RequestFailedException e)
        {
            throw Translate(e, operation);
        }
        catch (Exception e) when (IsTransport(e, cancellationToken))
        {
            throw new StoreException($"{operation} failed: storage did not answer ({e.Message}).", 0, inner: e);
        }
    }

    /// <summary>Runs a storage call that returns nothing, translating every failure it does not handle itself.</summary>
    public static Task Run(string operation, Func<Task> call, CancellationToken cancellationToken) =>
        Run(operation, async () => { await call(); return true; }, cancellationToken);

    /// <summary>Translates a failure the caller does not handle.</summary>
    public static StoreException Translate(RequestFailedException e, string operation)
    {
        var tooLarge = e.Status == 413 || (e.ErrorCode is { } code && TooLargeCodes.Contains(code));
        var which = e is TableTransactionFailedException { FailedTransactionActionIndex: { } index } ? $" (operation {index} of the transaction)" : "";
        var message = e.Status == 0
            ? $"{operation} failed: storage did not answer ({e.Message})."
            : $"{operation} failed{which}: storage answered {e.Status} {e.ErrorCode}." + (tooLarge ? " A size limit was exceeded." : "");
        return new StoreException(message, e.Status, tooLarge, e);
    }

    /// <summary>412: the ETag condition failed.</summary>
    public static bool IsPreconditionFailed(RequestFailedException e) => e.Status == 412;

    /// <summary>409: the entity (or queue) already exists.</summary>
    public static bool IsConflict(RequestFailedException e) => e.Status == 409;

    /// <summary>404: the entity, message or queue does not exist.</summary>
    public static bool IsNotFound(RequestFailedException e) => e.Status == 404;

    /// <summary>The table itself does not exist (not yet created, or deleted): nothing in it can have been written or read.</summary>
    public static bool IsTableNotFound(RequestFailedException e) => e.Status == 404 && e.ErrorCode == "TableNotFound";

    /// <summary>Any of the answers that mean "someone else changed or removed it": 404, 409, 412.</summary>
    public static bool IsConcurrencyConflict(RequestFailedException e) => e.Status is 404 or 409 or 412;

    /// <summary>
    /// The message is gone or the pop receipt is stale: Azure answers 404, Azurite 400 PopReceiptMismatch.
    /// Both mean another delivery owns the message now.
    /// </summary>
    public static bool IsMessageGone(RequestFailedException e) =>
        e.Status == 404 || (e.Status == 400 && string.Equals(e.ErrorCode, "PopReceiptMismatch", StringComparison.Ordinal));

    /// <summary>
    /// A failure after which the request may or may not have been applied: the connection broke or timed
    /// out (not the caller's cancellation). Writes that end like this are resolved by re-reading. When the
    /// SDK's retries run out on such failures it throws them all in an AggregateException; the last decides.
    /// </summary>
    public static bool IsTransport(Exception e, CancellationToken cancellationToken) => e switch
    {
        AggregateException { InnerExceptions.Count: > 0 } all => IsTransport(all.InnerExceptions[^1], cancellationToken),
        RequestFailedException failed => failed.Status == 0,
        IOException or HttpRequestException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };
}
