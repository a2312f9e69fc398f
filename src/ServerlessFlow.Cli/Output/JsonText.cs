using System.Globalization;
using System.Text.Json;

namespace ServerlessFlow.Cli.Output;

/// <summary>Reading members of the API's JSON for tables, tolerant of absent and null members.</summary>
internal static class JsonText
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A member as text: strings as they are, other values as compact JSON, absent or null as empty.</summary>
    public static string Text(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? Compact(value) : "";

    /// <summary>A member, or null when absent or JSON null.</summary>
    public static JsonElement? Member(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A value as text: a string as it is, anything else as compact JSON, null as empty.</summary>
    public static string Compact(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        _ => JsonSerializer.Serialize(value),
    };

    /// <summary>Indented JSON, as <c>--output json</c> prints it.</summary>
    public static string Pretty(JsonElement value) => JsonSerializer.Serialize(value, Indented);

    /// <summary>A date-time member as a short UTC time (<c>2026-11-23 13:20:56.235</c>), or empty.</summary>
    public static string Time(this JsonElement element, string name) =>
        element.Member(name) is { ValueKind: JsonValueKind.String } value && value.TryGetDateTimeOffset(out var time)
            ? Time(time)
            : "";

    /// <summary>A time as printed in tables: UTC, to the millisecond.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>A duration as printed in tables: <c>850ms</c>, <c>12.3s</c>, <c>4m05s</c>, <c>2h03m</c>, <c>3d04h</c>.</summary>
    public static string Duration(TimeSpan span) => span switch
    {
        { TotalSeconds: < 1 } => $"{span.TotalMilliseconds:0}ms",
        { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0}s"),
        { TotalHours: < 1 } => $"{span.Minutes}m{span.Seconds:00}s",
        { TotalDays: < 1 } => $"{(int)span.TotalHours}h{span.Minutes:00}m",
        _ => $"{(int)span.TotalDays}d{span.Hours:00}h",
    };
}
