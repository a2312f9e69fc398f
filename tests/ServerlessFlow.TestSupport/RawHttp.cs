using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ServerlessFlow.TestSupport;

/// <summary>A response read off the wire.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The <c>Content-Type</c> header, when there is one.</summary>
    public string? ContentType => Headers.GetValueOrDefault("content-type");

    /// <summary>The body as JSON.</summary>
    public JsonElement Json() => JsonDocument.Parse(Body).RootElement.Clone();
}

/// <summary>
/// Sends an HTTP/1.1 request with exactly the request target and body bytes given. HttpClient goes through System.Uri,
/// which may re-escape or unescape parts of a path, and encodes bodies itself; the ID and hostile-input tests need to
/// control every byte.
/// </summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="body"/> as UTF-8.</summary>
    public static Task<RawResponse> SendAsync(int port, string method, string target, string? body = null, CancellationToken cancellationToken = default) =>
        SendAsync(port, method, target, Encoding.UTF8.GetBytes(body ?? ""), headers: null, cancellationToken);

    /// <summary>Sends <paramref name="body"/> as it is, with <paramref name="headers"/> (<c>Name: value</c>) after the standard ones.</summary>
    public static async Task<RawResponse> SendAsync(
        int port, string method, string target, byte[] body, IEnumerable<string>? headers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancellationToken);
        await using var stream = client.GetStream();
        var extra = headers is null ? "" : string.Concat(headers.Select(h => h + "\r\n"));
        var head = $"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {body.Length}\r\n{extra}\r\n";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(head), cancellationToken);
        await stream.WriteAsync(body, cancellationToken);
        using var received = new MemoryStream();
        await stream.CopyToAsync(received, cancellationToken);
        return Parse(received.ToArray());
    }

    private static RawResponse Parse(byte[] response)
    {
        var split = response.AsSpan().IndexOf("\r\n\r\n"u8);
        if (split < 0)
        {
            throw new InvalidDataException($"The server closed the connection without a complete response ({response.Length} bytes).");
        }

        var lines = Encoding.ASCII.GetString(response, 0, split).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var body = response.AsSpan(split + 4).ToArray();
        if (headers.GetValueOrDefault("transfer-encoding") == "chunked")
        {
            body = Dechunk(body);
        }

        return new RawResponse(status, headers, Encoding.UTF8.GetString(body));
    }

    private static byte[] Dechunk(byte[] body)
    {
        using var result = new MemoryStream();
        var position = 0;
        while (true)
        {
            var lineEnd = position + body.AsSpan(position).IndexOf("\r\n"u8);
            var sizeText = Encoding.ASCII.GetString(body, position, lineEnd - position).Split(';')[0];
            var size = int.Parse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                return result.ToArray();
            }

            result.Write(body, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }
}
