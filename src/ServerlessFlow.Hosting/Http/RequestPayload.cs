using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ServerlessFlow.Hosting.Http;

/// <summary>Reads a request body as a JSON payload, within the payload limit.</summary>
internal static class RequestPayload
{
    /// <summary>Largest body accepted: Temporal's 2 MB payload limit, the same one the engine applies to inputs.</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    /// <summary>The body as JSON; null for an empty (or all-whitespace) body, which means "no input".</summary>
    /// <exception cref="PayloadTooLargeException">The body is over <see cref="MaxBytes"/>.</exception>
    /// <exception cref="InvalidWorkflowRequestException">The body is not valid JSON.</exception>
    public static async Task<JsonElement?> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge(request.ContentLength.Value);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw TooLarge(buffer.Length + read);
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            RefuseLoneSurrogates(document.RootElement, "$");
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidWorkflowRequestException(
                $"The request body is not valid JSON: {e.Message} Send a JSON value (e.g. {{\"count\": 5}}), or an empty body for no input.", e);
        }
    }

    /// <summary>
    /// Refuses a string or member name with an escaped lone surrogate (<c>"\ud800"</c>): valid JSON syntax, but not text — it
    /// cannot be read as a string or written as UTF-8, so it would fail wherever the payload is next converted or stored.
    /// Every body is read here, so every route refuses it the same way.
    /// </summary>
    private static void RefuseLoneSurrogates(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                CheckText(() => element.GetString(), path);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    RefuseLoneSurrogates(item, $"{path}[{index++}]");
                }

                break;
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    var name = CheckText(() => member.Name, path + ".<member name>");
                    RefuseLoneSurrogates(member.Value, $"{path}.{name}");
                }

                break;
        }
    }

    private static string CheckText(Func<string?> read, string path)
    {
        try
        {
            return read() ?? "";
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidWorkflowRequestException(
                $"The request body has a string at {path} with a lone surrogate (an escape such as \\ud800 without its pair): {e.Message} " +
                "Send text only: a surrogate escape must be a high one followed by a low one (e.g. \\ud83d\\ude00).", e);
        }
    }

    /// <summary>
    /// The 400 for a body that is valid JSON but does not convert to the handler's parameter type (a string for a
    /// number, say). The engine converts arguments of validators and queries while the request waits, and lets the
    /// serializer's <see cref="JsonException"/> through; it is the caller's input, not a server fault.
    /// </summary>
    public static InvalidWorkflowRequestException ArgumentMismatch(string handler, JsonException exception) => new(
        $"The request body does not fit the parameter of {handler}: {exception.Message} Send JSON of the parameter's type.", exception);

    private static PayloadTooLargeException TooLarge(long size) => new(
        $"The request body has at least {size} bytes; the payload limit is {MaxBytes} bytes (2 MB). " +
        "Store large data elsewhere (e.g. a blob) and pass a reference.");
}

/// <summary>A request body over <see cref="RequestPayload.MaxBytes"/>.</summary>
internal sealed class PayloadTooLargeException(string message) : Exception(message);
