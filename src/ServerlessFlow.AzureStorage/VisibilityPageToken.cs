using System.Text;
using System.Text.Json;

namespace ServerlessFlow.AzureStorage;

/// <summary>
/// The continuation token of a visibility listing: base64 of a JSON array with one entry per shard — the
/// last RowKey consumed there (the next page reads <c>RowKey gt</c> it), null when nothing was consumed yet,
/// or <see cref="Done"/> when the shard has nothing more.
/// </summary>
internal static class VisibilityPageToken
{
    /// <summary>The entry of a shard with nothing more to read; no RowKey looks like it (they all hold a '|').</summary>
    public const string Done = "done";

    /// <summary>Formats the entries of every shard.</summary>
    public static string Format(IEnumerable<string?> entries) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(entries.ToArray()));

    /// <summary>The entries of <paramref name="token"/> (one per shard, all null for no token), checked against <paramref name="plan"/>.</summary>
    /// <exception cref="InvalidWorkflowRequestException">The token is not one a listing with these filters returned.</exception>
    public static string?[] Parse(string? token, VisibilityQueryPlan plan)
    {
        if (token is null)
        {
            return new string?[VisibilityKeys.Shards];
        }

        string?[]? entries;
        try
        {
            entries = JsonSerializer.Deserialize<string?[]>(Convert.FromBase64String(token));
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException)
        {
            throw Malformed(token, e);
        }

        var valid = entries is { Length: VisibilityKeys.Shards }
            && entries.All(entry => entry is null or Done || (string.CompareOrdinal(entry, plan.Lower) >= 0 && string.CompareOrdinal(entry, plan.Upper) < 0));
        return valid ? entries! : throw Malformed(token, null);
    }

    private static InvalidWorkflowRequestException Malformed(string token, Exception? inner) =>
        new($"Continuation token '{(token.Length > 40 ? token[..40] + "…" : token)}' is not one this listing returned: pass the token of the previous page unchanged, with the same filters.", inner);
}
