using ServerlessFlow.TestSupport;

namespace ServerlessFlow.EndToEnd.Tests;

/// <summary>One Azurite for the assembly, owned by the tests: killing a dev server never orphans it.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteGroup : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
