namespace ServerlessFlow.Deployment.Tests;

/// <summary>One user-assigned identity runs the app and holds exactly the data roles it needs.</summary>
[Collection(InfraTests.Name)]
public sealed class IdentityAndRolesTests(InfraFixture infra)
{
    private const string RoleAssignments = "Microsoft.Authorization/roleAssignments";

    // Built-in role definition IDs (the same GUIDs in every tenant).
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    private string IdentityId => (string)infra.DefaultSnapshot.Only("Microsoft.ManagedIdentity/userAssignedIdentities")["id"]!;

    private string StorageAccountId => (string)infra.DefaultSnapshot.Only("Microsoft.Storage/storageAccounts")["id"]!;

    [Fact]
    public void FunctionApp_Identity_IsOnlyTheUserAssignedIdentity()
    {
        var identity = infra.DefaultSnapshot.Only("Microsoft.Web/sites")["identity"]!;

        Assert.Equal("UserAssigned", (string?)identity["type"]);
        var assigned = identity["userAssignedIdentities"]!.AsObject().Select(pair => pair.Key).ToList();
        Assert.Equal([IdentityId], assigned);
    }

    [Fact]
    public void RoleAssignments_OnStorageAccount_AreExactlyBlobOwnerQueueAndTableContributor()
    {
        var onStorage = infra.DefaultSnapshot.OfType(RoleAssignments)
            .Where(assignment => string.Equals(Snapshot.RoleAssignmentScope(assignment), StorageAccountId, StringComparison.OrdinalIgnoreCase))
            .Select(Snapshot.RoleDefinitionGuid)
            .Order()
            .ToList();

        Assert.Equal(new[] { StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor }.Order(), onStorage);
    }

    [Fact]
    public void RoleAssignments_All_AreTheStorageRolesAndTelemetryPublishingOnly()
    {
        var insightsId = (string)infra.DefaultSnapshot.Only("Microsoft.Insights/components")["id"]!;
        var assignments = infra.DefaultSnapshot.OfType(RoleAssignments)
            .Select(assignment => (Scope: Snapshot.RoleAssignmentScope(assignment), Role: Snapshot.RoleDefinitionGuid(assignment)))
            .ToList();

        // Three storage data roles plus Monitoring Metrics Publisher on Application Insights (needed
        // because it accepts Entra ID-authenticated telemetry only); nothing at group or subscription scope.
        Assert.Equal(4, assignments.Count);
        Assert.Single(assignments, assignment => assignment.Role == MonitoringMetricsPublisher
            && string.Equals(assignment.Scope, insightsId, StringComparison.OrdinalIgnoreCase));
        Assert.All(assignments, assignment => Assert.Contains("/providers/", assignment.Scope, StringComparison.Ordinal));
    }

    [Fact]
    public void RoleAssignments_Principal_IsTheUserAssignedIdentityAsServicePrincipal()
    {
        var assignments = infra.DefaultSnapshot.OfType(RoleAssignments);
        Assert.NotEmpty(assignments);
        Assert.All(assignments, assignment =>
        {
            var properties = assignment["properties"]!;
            Assert.True(
                Snapshot.IsReference((string)properties["principalId"]!, IdentityId, "principalId"),
                $"Role assignment {assignment["name"]} is granted to '{properties["principalId"]}', not to the app's identity.");
            Assert.Equal("ServicePrincipal", (string?)properties["principalType"]);
            Assert.StartsWith(
                $"/subscriptions/{InfraFixture.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/",
                (string)properties["roleDefinitionId"]!,
                StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public void DeploymentStorage_Authentication_UsesTheUserAssignedIdentity()
    {
        var storage = infra.DefaultSnapshot.Only("Microsoft.Web/sites")["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!;

        Assert.Equal("blobContainer", (string?)storage["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)storage["authentication"]!["type"]);
        Assert.Equal(IdentityId, (string?)storage["authentication"]!["userAssignedIdentityResourceId"]);
        Assert.Null(storage["authentication"]!["storageAccountConnectionStringName"]);
        Assert.True(
            ((string)storage["value"]!).Contains(StorageAccountId, StringComparison.OrdinalIgnoreCase),
            $"The deployment container '{storage["value"]}' is not in the app's storage account.");
    }
}
