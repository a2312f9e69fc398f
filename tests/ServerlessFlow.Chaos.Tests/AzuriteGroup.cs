using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Chaos.Tests;

/// <summary>One Azurite owned by the tests: the workers are killed, never Azurite.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteGroup : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
