using System.Text.Json;

namespace ServerlessFlow.Invocation;

/// <summary>
/// The arguments of one call of a workflow or activity member, as the JSON they travel in, read into the member's parameters
/// by its <see cref="MemberInvoker"/> with the payload serializer settings (<see cref="PayloadJson.Options"/>). The engine
/// creates it; generated invokers only read from it.
/// </summary>
public sealed class InvocationArguments
{
    private readonly IReadOnlyList<JsonElement> values;
    private readonly bool missingReadsAsDefault;
    private readonly Func<int, JsonException?, Exception> mismatch;

    /// <param name="values">The arguments given, in parameter order (a CancellationToken parameter takes none).</param>
    /// <param name="missingReadsAsDefault">
    /// True where a missing argument reads as the type's default (a workflow's input, a signal's or update's argument);
    /// false where it takes the parameter's default value or is refused (an activity's arguments).
    /// </param>
    /// <param name="mismatch">The exception for an argument that is missing (null) or does not deserialize, by index.</param>
    internal InvocationArguments(IReadOnlyList<JsonElement> values, bool missingReadsAsDefault, Func<int, JsonException?, Exception> mismatch)
    {
        this.values = values;
        this.missingReadsAsDefault = missingReadsAsDefault;
        this.mismatch = mismatch;
    }

    /// <summary>How many arguments were given.</summary>
    public int Count => values.Count;

    /// <summary>True once reading an argument failed: the exception came from the arguments, not from the member's code.</summary>
    internal bool Unreadable { get; private set; }

    /// <summary>
    /// Reads argument <paramref name="index"/> as <typeparamref name="T"/> (a JSON null reads as null). A missing argument reads
    /// as default where the call allows it, and throws the call's argument-mismatch failure where it does not.
    /// </summary>
    /// <typeparam name="T">The parameter's type.</typeparam>
    /// <param name="index">The argument's position, counting no CancellationToken parameter.</param>
    public T Get<T>(int index) => index < values.Count ? Read<T>(index) : missingReadsAsDefault ? default! : throw Refuse(index, null);

    /// <summary>Reads argument <paramref name="index"/> as <typeparamref name="T"/>, or gives <paramref name="defaultValue"/> (the parameter's default) when it is missing.</summary>
    /// <typeparam name="T">The parameter's type.</typeparam>
    /// <param name="index">The argument's position, counting no CancellationToken parameter.</param>
    /// <param name="defaultValue">The parameter's declared default value.</param>
    public T Get<T>(int index, T defaultValue) => index < values.Count ? Read<T>(index) : defaultValue;

    /// <summary>Reads argument <paramref name="index"/> as <paramref name="type"/>: <see cref="Get{T}(int)"/> for an invoker that knows the type only at run time.</summary>
    internal object? Get(int index, Type type, bool hasDefault, object? defaultValue)
    {
        if (index < values.Count)
        {
            return Read(index, () => values[index].Deserialize(PayloadJson.Options.GetTypeInfo(type)));
        }

        return hasDefault && !missingReadsAsDefault ? defaultValue : missingReadsAsDefault ? null : throw Refuse(index, null);
    }

    private T Read<T>(int index) => Read(index, () => values[index].Deserialize(PayloadJson.TypeInfo<T>()))!;

    private TValue Read<TValue>(int index, Func<TValue> deserialize)
    {
        try
        {
            return deserialize();
        }
        catch (JsonException e)
        {
            throw Refuse(index, e);
        }
    }

    private Exception Refuse(int index, JsonException? error)
    {
        Unreadable = true;
        return mismatch(index, error);
    }
}
