using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFlow.Cli.Api;

namespace ServerlessFlow.Cli.Commands;

/// <summary>Reads pages of a listing route until <c>limit</c> items or the last page.</summary>
internal static class Paging
{
    /// <summary>The API's largest page.</summary>
    private const int MaxPageSize = 1000;

    /// <summary>
    /// The items of up to <paramref name="limit"/> items and the token to continue with (null at the end), as
    /// <c>{items, continuationToken}</c> — the shape of one page, so <c>--output json</c> reads like the API.
    /// </summary>
    public static async Task<JsonElement> ReadAsync(CliContext context, Func<ApiPath> route, int limit, string? continuationToken, CancellationToken cancellation)
    {
        var items = new JsonArray();
        var token = continuationToken;
        do
        {
            var page = (await context.Api.GetAsync(
                route().With("pageSize", Math.Min(limit - items.Count, MaxPageSize).ToString(System.Globalization.CultureInfo.InvariantCulture)).With("continuationToken", token),
                cancellation)).Json;
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                items.Add(JsonNode.Parse(item.GetRawText()));
            }

            token = page.TryGetProperty("continuationToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (token is not null && items.Count < limit);

        return JsonSerializer.SerializeToElement(new JsonObject { ["items"] = items, ["continuationToken"] = token });
    }

    /// <summary>Prints the continuation hint under a table when more items remain.</summary>
    public static void WriteMore(JsonElement listing, TextWriter output)
    {
        if (listing.GetProperty("continuationToken") is { ValueKind: JsonValueKind.String } token)
        {
            output.WriteLine($"(more: --continuation-token '{token.GetString()}')");
        }
    }
}
