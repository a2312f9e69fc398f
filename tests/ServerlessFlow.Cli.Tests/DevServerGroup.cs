using ServerlessFlow.TestSupport;

namespace ServerlessFlow.Cli.Tests;

/// <summary>One Azurite and one dev server for the assembly.</summary>
[CollectionDefinition(Name)]
public sealed class DevServerGroup : ICollectionFixture<DevServerFixture>
{
    public const string Name = "DevServer";
}
