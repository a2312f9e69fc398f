using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ServerlessFlow.Engine.Backend;
using ServerlessFlow.Engine.InMemory;
using ServerlessFlow.Engine.Schedules;

namespace ServerlessFlow.Engine.Serialization;

/// <summary>
/// The engine's own JSON — queue messages, schedule state, list cursors — under the payload settings (<see cref="PayloadJson.Options"/>),
/// with generated metadata so it serializes without reflection.
/// </summary>
internal static class EngineJson
{
    /// <summary>The payload settings, with the engine's generated metadata ahead of the payload resolvers.</summary>
    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static JsonTypeInfo<TaskMessage> TaskMessage { get; } = Info<TaskMessage>();

    /// <summary>The wire form every task message kind is read and written through (<see cref="TaskMessageJsonConverter"/>).</summary>
    public static JsonTypeInfo<TaskMessageWire> TaskMessageWire { get; } = Info<TaskMessageWire>();

    public static JsonTypeInfo<ScheduleState> ScheduleState { get; } = Info<ScheduleState>();

    public static JsonTypeInfo<InMemoryVisibilityStore.Cursor> Cursor { get; } = Info<InMemoryVisibilityStore.Cursor>();

    public static JsonTypeInfo<Dictionary<string, JsonElement>> Elements { get; } = Info<Dictionary<string, JsonElement>>();

    public static JsonTypeInfo<ServerlessFlow.History.HistoryEvent> HistoryEvent { get; } = Info<ServerlessFlow.History.HistoryEvent>();

    private static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(PayloadJson.Options) { TypeInfoResolver = JsonTypeInfoResolver.Combine(EngineJsonContext.Default, PayloadJson.Options.TypeInfoResolver) };
        options.MakeReadOnly();
        return options;
    }
}

/// <summary>Generated metadata of the engine's own serialized records.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TaskMessage))]
[JsonSerializable(typeof(TaskMessageWire))]
[JsonSerializable(typeof(ScheduleState))]
[JsonSerializable(typeof(InMemoryVisibilityStore.Cursor))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(ServerlessFlow.History.HistoryEvent))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
