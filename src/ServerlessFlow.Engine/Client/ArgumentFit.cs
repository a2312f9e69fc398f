using System.Text.Json;
using ServerlessFlow.Invocation;

namespace ServerlessFlow.Engine.Client;

/// <summary>
/// The one check that a caller's payload converts to the parameter of the code that will read it (a run method's input, a signal
/// handler's argument), made before anything is written: a payload the code cannot read would otherwise be accepted and then fail
/// the workflow (or its task) later, far from the caller who sent it.
/// </summary>
internal static class ArgumentFit
{
    /// <summary>Throws unless <paramref name="payload"/> converts to the single parameter of the member <paramref name="invoker"/> calls (a member without one takes anything).</summary>
    /// <param name="payload">The payload, as it will be stored.</param>
    /// <param name="invoker">The invoker of the member that will read it.</param>
    /// <param name="what">What the payload is, as the error message names it (e.g. "the input of workflow 'Orders'").</param>
    /// <exception cref="InvalidWorkflowRequestException">It does not convert.</exception>
    public static void Check(JsonElement? payload, MemberInvoker invoker, string what)
    {
        if (invoker.ParameterTypes is not [var parameterType])
        {
            return;
        }

        try
        {
            PayloadJson.FromElement(payload, parameterType);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidWorkflowRequestException(
                $"{char.ToUpperInvariant(what[0])}{what[1..]} does not fit its parameter ({parameterType.Name}): {e.Message} " +
                "Send JSON of the parameter's type. Nothing was recorded.", e);
        }
    }
}
