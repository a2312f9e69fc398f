using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Functions.Tests;

/// <summary>One Azurite for every test of this assembly that needs storage.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteGroup : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
