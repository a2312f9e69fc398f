using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using ServerlessFlow.Schedules;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// The JSON of schedule bodies and answers: the payload settings (camelCase; TimeSpans as <c>[d.]hh:mm:ss[.fffffff]</c>),
/// overlap policies by name, date-times only with an offset, and strict reading — an unknown, repeated or missing
/// member, or a null where a value is required, is a 400 rather than a default the caller did not mean.
/// </summary>
internal static class ScheduleJson
{
    /// <summary>The serializer options of every schedule body and answer.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Writes <paramref name="body"/> with <see cref="Options"/>.</summary>
    public static IResult Json<T>(T body, int status = StatusCodes.Status200OK) =>
        TypedResults.Json(body, Options, contentType: null, statusCode: status);

    /// <summary>Reads the request body as <typeparamref name="T"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="usage">What the body must be, with an example: the start of every error message.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidWorkflowRequestException">The body is empty, not JSON, or not of that shape.</exception>
    /// <exception cref="PayloadTooLargeException">The body is over the payload limit.</exception>
    public static async Task<T> ReadAsync<T>(HttpRequest request, string usage, CancellationToken cancellationToken)
    {
        var body = await RequestPayload.ReadJsonAsync(request, cancellationToken)
            ?? throw new InvalidWorkflowRequestException($"{usage}; the body is empty.");
        try
        {
            return body.Deserialize<T>(Options) ?? throw new InvalidWorkflowRequestException($"{usage}; the body is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidWorkflowRequestException($"{usage}; {e.Message}", e);
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(PayloadJson.Options)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            AllowDuplicateProperties = false,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
        };
        options.Converters.Add(new JsonStringEnumConverter<ScheduleOverlapPolicy>(namingPolicy: null, allowIntegerValues: false));
        options.Converters.Add(new OffsetDateTimeConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Reads date-times only in the form <see cref="Timestamps"/> accepts; writes them as the payload settings do.</summary>
    private sealed class OffsetDateTimeConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && Timestamps.TryParse(reader.GetString()!, out var value)
                ? value
                : throw new JsonException($"A date-time must be {Timestamps.Expected}.");

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
