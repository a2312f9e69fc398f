using System.Reflection;

namespace ServerlessFlow.Functions.Tests;

/// <summary>
/// The methods a compiled method calls, read from its IL: a function is a one-line hand-over, so the
/// call instructions of its body say which hosting-library entry point it hands the trigger to.
/// </summary>
internal static class CalledMethods
{
    private const byte Call = 0x28;
    private const byte CallVirt = 0x6F;

    public static IReadOnlyList<MethodBase> Of(MethodInfo method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        var called = new List<MethodBase>();
        for (var i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] is not (Call or CallVirt))
            {
                continue;
            }

            // A byte that looks like a call opcode inside another operand resolves to nothing, or to a
            // method the assertions do not look for; only the hand-over call matters.
            try
            {
                var token = BitConverter.ToInt32(il, i + 1);
                if (method.Module.ResolveMethod(token, method.DeclaringType?.GetGenericArguments(), method.GetGenericArguments()) is { } callee)
                {
                    called.Add(callee);
                    i += 4;
                }
            }
            catch (ArgumentException)
            {
            }
        }

        return called;
    }
}
