using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ServerlessFlow.Serialization;

/// <summary>
/// Where <see cref="PayloadJson.Options"/> gets type metadata: the library's own generated context first, then the contexts
/// apps registered, then — only where reflection-based serialization is enabled — reflection. A trimmed or AOT app has no
/// reflection fallback (the feature switch removes it), so a payload type no context covers fails with a message saying
/// how to add it.
/// </summary>
internal sealed class PayloadTypeInfoResolver : IJsonTypeInfoResolver
{
    /// <summary>
    /// Trimming and AOT compilation set the feature switch behind JsonSerializer.IsReflectionEnabledByDefault to false, which
    /// removes the branch that creates the reflection resolver (as System.Text.Json's own default options do).
    /// </summary>
    private const string ReflectionOff = "Created only when JsonSerializer.IsReflectionEnabledByDefault, which trimmed and AOT apps set to false.";

    private readonly DefaultJsonTypeInfoResolver? reflection = ReflectionResolver();
    private ImmutableArray<IJsonTypeInfoResolver> resolvers = [ModelJsonContext.Default];

    /// <summary>Adds a resolver (once), after those added before it.</summary>
    public void Add(IJsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ImmutableInterlocked.Update(ref resolvers, list => list.Contains(resolver) ? list : list.Add(resolver));
    }

    /// <summary>The reflection resolver, only where reflection-based serialization is enabled.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = ReflectionOff)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = ReflectionOff)]
    private static DefaultJsonTypeInfoResolver? ReflectionResolver() => JsonSerializer.IsReflectionEnabledByDefault ? new DefaultJsonTypeInfoResolver() : null;

    /// <inheritdoc/>
    public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options)
    {
        foreach (var resolver in resolvers)
        {
            if (resolver.GetTypeInfo(type, options) is { } info)
            {
                return info;
            }
        }

        return reflection is not null
            ? reflection.GetTypeInfo(type, options)
            : throw new NotSupportedException(
                $"No JSON metadata for the payload type {type.FullName}, and reflection-based serialization is off (a trimmed or AOT app). " +
                "Declare it in a source-generated context ([JsonSerializable(typeof(...))] partial class MyJsonContext : JsonSerializerContext) and register " +
                "that with flow.UseJsonTypeInfoResolver(MyJsonContext.Default).");
    }
}
