using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ServerlessFlow.Cli.Api;

/// <summary>Sends requests to the HTTP API: the key on every request, JSON in and out, any error status as <see cref="ApiRefusedException"/>.</summary>
internal sealed class ApiClient : IDisposable
{
    /// <summary>The header a Function App reads the function key from.</summary>
    public const string KeyHeader = "x-functions-key";

    /// <summary>Longer than the longest wait the API grants (60 s), so that a long poll is never cut short by the client.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    private readonly HttpClient http;
    private readonly string baseAddress;

    /// <summary>A client of the API at <paramref name="baseAddress"/> (e.g. <c>http://127.0.0.1:7071/api</c>).</summary>
    public ApiClient(Uri baseAddress, string? key)
    {
        this.baseAddress = baseAddress.AbsoluteUri.TrimEnd('/') + "/";
        http = new HttpClient { Timeout = RequestTimeout };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add(KeyHeader, key);
        }
    }

    /// <summary>The base URL, with a trailing slash.</summary>
    public string BaseAddress => baseAddress;

    /// <summary>GET.</summary>
    public Task<ApiResponse> GetAsync(ApiPath path, CancellationToken cancellation) => SendAsync(HttpMethod.Get, path, null, cancellation);

    /// <summary>Sends a request; <paramref name="json"/> is the body (null: none). Throws <see cref="ApiRefusedException"/> on an error status.</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, ApiPath path, string? json, CancellationToken cancellation, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseAddress + path));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        using var response = await http.SendAsync(request, cancellation);
        var body = await response.Content.ReadAsStringAsync(cancellation);
        var parsed = Parse(body);
        if (!response.IsSuccessStatusCode)
        {
            throw new ApiRefusedException(response.StatusCode, parsed is { ValueKind: JsonValueKind.Object } ? parsed : null, body);
        }

        return new ApiResponse(response.StatusCode, parsed, ETagOf(response.Headers));
    }

    /// <inheritdoc />
    public void Dispose() => http.Dispose();

    private static JsonElement? Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? ETagOf(HttpResponseHeaders headers) => headers.ETag?.ToString();
}
