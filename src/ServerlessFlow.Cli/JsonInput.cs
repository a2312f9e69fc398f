using System.Text.Json;

namespace ServerlessFlow.Cli;

/// <summary>
/// A JSON value given on the command line: inline (<c>--input '{"count":5}'</c>) or from a file
/// (<c>--input @order.json</c>). It is checked here, so that a typo is a usage error (exit 2) and nothing is sent.
/// </summary>
internal static class JsonInput
{
    /// <summary>The JSON text of <paramref name="value"/>, or null when the option was not given.</summary>
    public static string? Read(string? value, string option)
    {
        if (value is null)
        {
            return null;
        }

        var text = value;
        if (value.StartsWith('@'))
        {
            var path = value[1..];
            if (!File.Exists(path))
            {
                throw new UsageException($"{option} {value}: no file '{path}'. Give JSON inline or @path to a file of JSON.");
            }

            text = File.ReadAllText(path);
        }

        try
        {
            using var _ = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new UsageException($"{option} is not valid JSON ({e.Message}). Give a JSON value, e.g. {option} '{{\"count\":5}}' or {option} '\"text\"', or @path to a file.");
        }

        return text;
    }

    /// <summary>
    /// A <c>Name=Value</c> pair whose value is JSON when it parses as JSON (<c>Amount=1200</c>, <c>Vip=true</c>) and
    /// text otherwise (<c>CustomerId=ann</c>); quote it to force text: <c>CustomerId='"007"'</c>.
    /// </summary>
    public static KeyValuePair<string, JsonElement> ReadPair(string pair, string option)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new UsageException($"{option} '{pair}' is not Name=Value.");
        }

        var text = pair[(equals + 1)..];
        JsonElement value;
        try
        {
            value = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            value = JsonSerializer.SerializeToElement(text);
        }

        return new(pair[..equals], value);
    }
}
