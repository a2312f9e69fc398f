using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>A response read off the wire.</summary>
internal sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? ContentType => Headers.GetValueOrDefault("content-type");

    public JsonElement Json() => JsonDocument.Parse(Body).RootElement.Clone();
}

/// <summary>
/// Sends an HTTP/1.1 request with exactly the request target given. HttpClient goes through System.Uri,
/// which may re-escape or unescape parts of a path; the ID tests need to control every byte.
/// </summary>
internal static class RawHttp
{
    public static async Task<RawResponse> SendAsync(int port, string method, string target, string? body = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        await using var stream = client.GetStream();
        var bodyBytes = Encoding.UTF8.GetBytes(body ?? "");
        var head = $"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {bodyBytes.Length}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(bodyBytes);
        using var received = new MemoryStream();
        await stream.CopyToAsync(received);
        return Parse(received.ToArray());
    }

    private static RawResponse Parse(byte[] response)
    {
        var split = response.AsSpan().IndexOf("\r\n\r\n"u8);
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
