using System.Text;

namespace ServerlessFlow.Cli.Api;

/// <summary>
/// A route below the API's base URL, built from unescaped parts. Each path segment and query value is
/// percent-encoded as a whole (docs/http-api.md, "Workflow IDs in URLs"), so an ID such as <c>orders/42</c>
/// or <c>ticket#7?</c> stays one segment and reaches the server exactly as given.
/// </summary>
internal sealed class ApiPath
{
    private readonly string path;
    private readonly List<KeyValuePair<string, string>> query = [];

    private ApiPath(string path) => this.path = path;

    /// <summary>A route made of <paramref name="segments"/>, each escaped.</summary>
    public static ApiPath Of(params string[] segments)
    {
        foreach (var segment in segments)
        {
            // URL normalization removes these segments before any server sees them, so they could never be addressed.
            if (segment is "." or ".." || segment.Length == 0)
            {
                throw new UsageException($"'{segment}' cannot be an ID in a URL: the API refuses empty IDs and the IDs '.' and '..'.");
            }
        }

        return new ApiPath(string.Join('/', segments.Select(Uri.EscapeDataString)));
    }

    /// <summary>Adds a query parameter when <paramref name="value"/> is not null.</summary>
    public ApiPath With(string name, string? value)
    {
        if (value is not null)
        {
            query.Add(new(name, value));
        }

        return this;
    }

    /// <summary>The escaped relative reference, e.g. <c>workflows/orders%2F42/result?wait=5</c>.</summary>
    public override string ToString()
    {
        if (query.Count == 0)
        {
            return path;
        }

        var text = new StringBuilder(path).Append('?');
        text.AppendJoin('&', query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        return text.ToString();
    }
}
