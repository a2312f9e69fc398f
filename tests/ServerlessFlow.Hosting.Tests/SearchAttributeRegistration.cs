using ServerlessFlow.Engine;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>
/// Lets <see cref="ApiServer"/> call <c>ServerlessFlowBuilder.AddSearchAttribute</c> before the engine change that adds it
/// is merged. C# prefers an instance method to an extension method, so once the builder has its own this one is never
/// called, and the file can go.
/// </summary>
internal static class SearchAttributeRegistration
{
    public static ServerlessFlowBuilder AddSearchAttribute(this ServerlessFlowBuilder flow, string name, SearchAttributeType type)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Enum.IsDefined(type) ? flow : throw new ArgumentOutOfRangeException(nameof(type));
    }
}
