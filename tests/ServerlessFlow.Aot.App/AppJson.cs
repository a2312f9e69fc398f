using System.Text.Json.Serialization;

namespace ServerlessFlow.Aot.App;

/// <summary>Generated JSON metadata of the app's payload types, handed to the engine with UseJsonTypeInfoResolver.</summary>
[JsonSerializable(typeof(GreetingRequest))]
[JsonSerializable(typeof(Approval))]
[JsonSerializable(typeof(GreetingReport))]
public sealed partial class AppJson : JsonSerializerContext;
