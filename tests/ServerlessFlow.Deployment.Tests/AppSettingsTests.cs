using System.Text.RegularExpressions;
using ServerlessFlow.Hosting.Configuration;

namespace ServerlessFlow.Deployment.Tests;

/// <summary>The app settings name every setting the code reads, identity-based, pointing at the created queues.</summary>
[Collection(InfraTests.Name)]
public sealed class AppSettingsTests(InfraFixture infra)
{
    private const string Queues = "Microsoft.Storage/storageAccounts/queueServices/queues";

    // Settings Flex Consumption rejects or ignores: the runtime is set in functionAppConfig, and the
    // package comes from the deployment container (Azure Files content settings do not exist there).
    private static readonly string[] SettingsFlexConsumptionRejects =
    [
        "FUNCTIONS_WORKER_RUNTIME",
        "FUNCTIONS_EXTENSION_VERSION",
        "FUNCTIONS_WORKER_RUNTIME_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        "WEBSITE_CONTENTSHARE",
        "WEBSITE_NODE_DEFAULT_VERSION",
        "SCM_DO_BUILD_DURING_DEPLOYMENT",
    ];

    private string IdentityId => (string)infra.DefaultSnapshot.Only("Microsoft.ManagedIdentity/userAssignedIdentities")["id"]!;

    [Fact]
    public void AppSettings_DefaultDeployment_NameEverySettingTheCodeReads()
    {
        var settings = infra.DefaultSnapshot.AppSettings();
        var missing = EngineNames.RequiredAppSettings.Where(name => !settings.ContainsKey(name)).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void AppSettings_Credentials_AreTheUserAssignedManagedIdentity()
    {
        var settings = infra.DefaultSnapshot.AppSettings();

        foreach (var connection in new[] { EngineNames.Connection, "AzureWebJobsStorage" })
        {
            Assert.Equal("managedidentity", settings[$"{connection}__credential"]);
            Assert.True(
                Snapshot.IsReference(settings[$"{connection}__clientId"], IdentityId, "clientId"),
                $"{connection}__clientId is '{settings[$"{connection}__clientId"]}', not the user-assigned identity's client ID.");
        }

        // Entra ID telemetry as the same identity: "ClientId=<client id>;Authorization=AAD".
        var expected = $"^\\[format\\('ClientId=\\{{0\\}};Authorization=AAD', reference\\('{Regex.Escape(IdentityId)}', '[^']+'\\)\\.clientId\\)\\]$";
        Assert.Matches(new Regex(expected, RegexOptions.IgnoreCase), settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
    }

    [Fact]
    public void AppSettings_ServiceUris_PointAtTheStorageAccountWithTheEngineTablesAndQueues()
    {
        var settings = infra.DefaultSnapshot.AppSettings();
        var storage = infra.DefaultSnapshot.Only("Microsoft.Storage/storageAccounts");
        var storageId = (string)storage["id"]!;

        Assert.Equal((string?)storage["name"], settings["AzureWebJobsStorage__accountName"]);
        foreach (var service in new[] { "table", "queue", "blob" })
        {
            var value = settings[$"{EngineNames.Connection}__{service}ServiceUri"];
            Assert.True(
                Snapshot.IsReference(value, storageId, $"primaryEndpoints.{service}"),
                $"{EngineNames.Connection}__{service}ServiceUri is '{value}', not the {service} endpoint of {storageId}.");
        }
    }

    [Fact]
    public void AppSettings_DefaultDeployment_BindTriggersToTheCreatedDefaultQueues()
    {
        var settings = infra.DefaultSnapshot.AppSettings();
        const string taskQueue = Engine.Backend.QueueNames.DefaultTaskQueue;

        Assert.Equal(EngineNames.DefaultPrefix, settings["ServerlessFlow__Storage__Prefix"]);
        Assert.Equal(taskQueue, settings["ServerlessFlow__TaskQueues"]);
        Assert.Equal(EngineNames.WorkflowQueue(EngineNames.DefaultPrefix, taskQueue), settings["ServerlessFlow__WorkflowQueue"]);
        Assert.Equal(EngineNames.ActivityQueue(EngineNames.DefaultPrefix, taskQueue), settings["ServerlessFlow__ActivityQueue"]);
        Assert.Contains(settings["ServerlessFlow__WorkflowQueue"], infra.DefaultSnapshot.LeafNames(Queues));
        Assert.Contains(settings["ServerlessFlow__ActivityQueue"], infra.DefaultSnapshot.LeafNames(Queues));
    }

    [Fact]
    public void AppSettings_RetentionDays_ThirtyByDefaultElseTheParameter()
    {
        Assert.Equal("30", infra.DefaultSnapshot.AppSettings()["ServerlessFlow__RetentionDays"]);
        Assert.Equal("30", infra.ParametersFileSnapshot.AppSettings()["ServerlessFlow__RetentionDays"]);
        Assert.Equal(
            InfraFixture.CustomRetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
            infra.CustomSnapshot.AppSettings()["ServerlessFlow__RetentionDays"]);
    }

    [Fact]
    public void AppSettings_PayloadCodec_NoneByDefaultElseKeyVaultReferencesResolvedAsTheIdentity()
    {
        Assert.DoesNotContain(infra.DefaultSnapshot.AppSettings().Keys, name => name.StartsWith("ServerlessFlow__PayloadCodec", StringComparison.Ordinal));
        var settings = infra.CustomSnapshot.AppSettings();

        Assert.Equal("k2", settings[EngineNames.AppSetting(HostingSettingNames.PayloadCodecCurrentKeyId)]);
        Assert.Equal($"@Microsoft.KeyVault(SecretUri={InfraFixture.CustomPayloadKeyUris[0]})", settings[EngineNames.AppSetting(HostingSettingNames.PayloadCodecKeys) + "__k1"]);
        Assert.Equal($"@Microsoft.KeyVault(SecretUri={InfraFixture.CustomPayloadKeyUris[1]})", settings[EngineNames.AppSetting(HostingSettingNames.PayloadCodecKeys) + "__k2"]);
        var site = infra.CustomSnapshot.Only("Microsoft.Web/sites");
        Assert.Equal(
            (string?)infra.CustomSnapshot.Only("Microsoft.ManagedIdentity/userAssignedIdentities")["id"], (string?)site["properties"]?["keyVaultReferenceIdentity"],
            StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void AppSettings_CustomTaskQueues_ListThemAllAndBindTriggersToTheFirst()
    {
        var settings = infra.CustomSnapshot.AppSettings();
        var prefix = InfraFixture.CustomPrefix;
        var first = InfraFixture.CustomTaskQueues[0];

        Assert.Equal(prefix, settings["ServerlessFlow__Storage__Prefix"]);
        Assert.Equal(string.Join(',', InfraFixture.CustomTaskQueues), settings["ServerlessFlow__TaskQueues"]);
        Assert.Equal(EngineNames.WorkflowQueue(prefix, first), settings["ServerlessFlow__WorkflowQueue"]);
        Assert.Equal(EngineNames.ActivityQueue(prefix, first), settings["ServerlessFlow__ActivityQueue"]);
    }

    [Fact]
    public void AppSettings_FlexConsumption_OmitSettingsThePlanRejects()
    {
        var settings = infra.DefaultSnapshot.AppSettings();
        Assert.All(SettingsFlexConsumptionRejects, name => Assert.DoesNotContain(name, settings.Keys));
    }
}
