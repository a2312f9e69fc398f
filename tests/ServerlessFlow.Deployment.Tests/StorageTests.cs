namespace ServerlessFlow.Deployment.Tests;

/// <summary>The storage account is locked to Entra ID over TLS 1.2, and holds the tables and queues the code uses.</summary>
[Collection(InfraTests.Name)]
public sealed class StorageTests(InfraFixture infra)
{
    private const string Tables = "Microsoft.Storage/storageAccounts/tableServices/tables";
    private const string Queues = "Microsoft.Storage/storageAccounts/queueServices/queues";

    [Fact]
    public void StorageAccount_Security_AllowsOnlyEntraIdOverHttpsTls12()
    {
        var properties = infra.DefaultSnapshot.Only("Microsoft.Storage/storageAccounts")["properties"]!;

        Assert.False((bool)properties["allowSharedKeyAccess"]!, "Shared keys must be disabled.");
        Assert.True((bool)properties["supportsHttpsTrafficOnly"]!, "Plain HTTP must be refused.");
        Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);
        Assert.False((bool)properties["allowBlobPublicAccess"]!, "Anonymous blob access must be disabled.");
        Assert.True((bool)properties["defaultToOAuthAuthentication"]!, "The portal must default to Entra ID.");
    }

    [Fact]
    public void StorageAccount_Name_IsValidForAzure()
    {
        foreach (var snapshot in new[] { infra.DefaultSnapshot, infra.SubscriptionSnapshot, infra.CustomSnapshot })
        {
            var name = (string)snapshot.Only("Microsoft.Storage/storageAccounts")["name"]!;
            Assert.InRange(name.Length, 3, 24);
            Assert.Matches("^[a-z0-9]+$", name);
        }
    }

    [Fact]
    public void Tables_DefaultParameters_AreTheEngineTables()
    {
        Assert.Equal(EngineNames.Tables(EngineNames.DefaultPrefix).Order(), infra.DefaultSnapshot.LeafNames(Tables).Order());
    }

    [Fact]
    public void Queues_DefaultParameters_AreTheDefaultTaskQueuesWorkflowAndActivityQueues()
    {
        const string taskQueue = Engine.Backend.QueueNames.DefaultTaskQueue;
        Assert.Equal(
            new[] { EngineNames.WorkflowQueue(EngineNames.DefaultPrefix, taskQueue), EngineNames.ActivityQueue(EngineNames.DefaultPrefix, taskQueue) }.Order(),
            infra.DefaultSnapshot.LeafNames(Queues).Order());
    }

    [Fact]
    public void TablesAndQueues_CustomPrefixAndTaskQueues_FollowTheSameNaming()
    {
        var prefix = InfraFixture.CustomPrefix;
        var expectedQueues = InfraFixture.CustomTaskQueues
            .SelectMany(taskQueue => new[] { EngineNames.WorkflowQueue(prefix, taskQueue), EngineNames.ActivityQueue(prefix, taskQueue) });

        Assert.Equal(expectedQueues.Order(), infra.CustomSnapshot.LeafNames(Queues).Order());
        Assert.Equal(EngineNames.Tables(prefix).Order(), infra.CustomSnapshot.LeafNames(Tables).Order());
    }

    [Fact]
    public void TablesAndQueues_ParametersFile_MatchTheDefaults()
    {
        // infra/main.bicepparam spells out the defaults; drifting from them would split the two deploy paths.
        Assert.Equal(infra.DefaultSnapshot.LeafNames(Tables).Order(), infra.ParametersFileSnapshot.LeafNames(Tables).Order());
        Assert.Equal(infra.DefaultSnapshot.LeafNames(Queues).Order(), infra.ParametersFileSnapshot.LeafNames(Queues).Order());
    }

    [Fact]
    public void Tables_Names_AreValidTableNames()
    {
        var names = infra.DefaultSnapshot.LeafNames(Tables).Concat(infra.CustomSnapshot.LeafNames(Tables)).ToList();
        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.Matches("^[A-Za-z][A-Za-z0-9]{2,62}$", name));
    }

    [Fact]
    public void Queues_Names_AreValidStorageQueueNames()
    {
        var names = infra.DefaultSnapshot.LeafNames(Queues).Concat(infra.CustomSnapshot.LeafNames(Queues)).ToList();
        Assert.NotEmpty(names);
        Assert.All(names, name =>
        {
            Assert.InRange(name.Length, 3, 63);
            Assert.Matches("^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$", name);
        });
    }

    [Fact]
    public void DeploymentContainer_PublicAccess_IsNone()
    {
        var container = infra.DefaultSnapshot.Only("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.Equal("None", (string?)container["properties"]!["publicAccess"]);
    }
}
