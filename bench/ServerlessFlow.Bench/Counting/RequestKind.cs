using System.Net;

namespace ServerlessFlow.Bench.Counting;

/// <summary>
/// Names what a storage request does ("table batch", "queue receive", "blob lease"…) from its method and URI
/// alone, so that both engines' requests are sorted by the same rules.
/// </summary>
internal static class RequestKind
{
    /// <summary>The kind of a request to <paramref name="service"/> ("blob", "queue" or "table").</summary>
    public static string Classify(string service, string method, Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var path = PathAfterAccount(uri);
        var query = uri.Query;
        return service switch
        {
            "table" => "table " + TableOperation(method, path),
            "queue" => "queue " + QueueOperation(method, path, query),
            "blob" => "blob " + BlobOperation(method, path, query),
            _ => $"{service} {method}",
        };
    }

    /// <summary>Whether a queue receive's response body holds no message (an empty poll).</summary>
    public static bool IsEmptyReceive(string responseBody) =>
        !responseBody.Contains("<QueueMessage>", StringComparison.Ordinal);

    private static string TableOperation(string method, string[] path)
    {
        if (path.Length == 0)
        {
            return "account";
        }

        var resource = Uri.UnescapeDataString(path[0]);
        if (resource == "$batch")
        {
            return "batch";
        }

        if (resource.StartsWith("Tables", StringComparison.Ordinal))
        {
            return method switch { "POST" => "create-table", "DELETE" => "delete-table", _ => "list-tables" };
        }

        var pointed = resource.Contains("PartitionKey=", StringComparison.Ordinal) && resource.Contains("RowKey=", StringComparison.Ordinal);
        return method switch
        {
            "GET" => pointed ? "read" : "query",
            "POST" => "insert",
            "PUT" => "upsert",
            "MERGE" or "PATCH" => "merge",
            "DELETE" => "delete",
            _ => method,
        };
    }

    private static string QueueOperation(string method, string[] path, string query)
    {
        if (path.Length == 0)
        {
            return method == "GET" ? "list-queues" : "account";
        }

        var messages = path.Length >= 2 && path[1] == "messages";
        var oneMessage = messages && path.Length >= 3;
        return (method, messages, oneMessage) switch
        {
            ("GET", true, _) => query.Contains("peekonly=true", StringComparison.OrdinalIgnoreCase) ? "peek" : "receive",
            ("POST", true, false) => "send",
            ("DELETE", true, true) => "delete",
            ("DELETE", true, false) => "clear",
            ("PUT", true, true) => "update",
            ("GET", false, _) => "properties",
            ("PUT", false, _) => query.Contains("comp=metadata", StringComparison.OrdinalIgnoreCase) ? "set-metadata" : "create-queue",
            ("DELETE", false, _) => "delete-queue",
            _ => method,
        };
    }

    private static string BlobOperation(string method, string[] path, string query)
    {
        if (query.Contains("comp=lease", StringComparison.OrdinalIgnoreCase))
        {
            return "lease";
        }

        if (query.Contains("comp=list", StringComparison.OrdinalIgnoreCase))
        {
            return "list";
        }

        var container = path.Length == 1 || query.Contains("restype=container", StringComparison.OrdinalIgnoreCase);
        return (method, container) switch
        {
            ("PUT", true) => "create-container",
            ("DELETE", true) => "delete-container",
            (_, true) => "container-properties",
            ("GET" or "HEAD", false) => "read",
            ("PUT", false) => "write",
            ("DELETE", false) => "delete",
            _ => method,
        };
    }

    /// <summary>The path's segments after the account, which emulators put first (path-style URIs).</summary>
    private static string[] PathAfterAccount(Uri uri)
    {
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var pathStyle = uri.IsLoopback || IPAddress.TryParse(uri.Host, out _);
        return pathStyle && segments.Length > 0 ? segments[1..] : segments;
    }
}
