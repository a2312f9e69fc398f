using ServerlessFlow.TestSupport;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>One Azurite for the whole assembly: every test class that talks to storage joins this collection.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteSuite : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
