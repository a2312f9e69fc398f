using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Engine;
using ServerlessFlow.Hosting.Configuration;
using ServerlessFlow.Hosting.DeadLetters;

namespace ServerlessFlow.Hosting.Tests;

public sealed class HostingSettingsTests
{
    [Fact]
    public void Read_NothingConfigured_UsesDefaultsAndNoStorage()
    {
        var settings = HostingSettings.Read(Configuration());

        Assert.Equal(["default"], settings.TaskQueues);
        Assert.Equal("sf", settings.Prefix);
        Assert.Null(settings.Storage);
        Assert.Equal(new TaskQueueBindings("wf-default", "act-default"), settings.Bindings);
    }

    [Fact]
    public void Read_PayloadCodecKeys_GiveTheStorageAnAesGcmCodecWithTheCurrentKey()
    {
        var settings = HostingSettings.Read(Configuration(
            (HostingSettingNames.StorageConnection, "UseDevelopmentStorage=true"),
            (HostingSettingNames.PayloadCodecCurrentKeyId, "k2"),
            (HostingSettingNames.PayloadCodecKeys + ":k1", Convert.ToBase64String(new byte[32])),
            (HostingSettingNames.PayloadCodecKeys + ":k2", Convert.ToBase64String(new byte[16]))));

        var codec = Assert.IsType<Codec.AesGcmPayloadCodec>(settings.Storage!.PayloadCodec);
        Assert.Equal("k2", codec.CurrentKeyId);
        Assert.Null(HostingSettings.Read(Configuration((HostingSettingNames.StorageConnection, "UseDevelopmentStorage=true"))).Storage!.PayloadCodec);
    }

    [Theory]
    [InlineData("k1", "not base64!", "ServerlessFlow:PayloadCodec:Keys:k1 is not base64")]
    [InlineData("k1", "AAAA", "AES-GCM takes 16, 24 or 32")]
    [InlineData("k3", "AAAAAAAAAAAAAAAAAAAAAA==", "'k3' is not among the configured keys")]
    [InlineData("", "AAAAAAAAAAAAAAAAAAAAAA==", "CurrentKeyId is not set")]
    public void Read_InvalidPayloadCodecSettings_ThrowNamingTheSettingNotTheSecret(string currentKeyId, string key, string expected)
    {
        var e = Assert.Throws<InvalidOperationException>(() => HostingSettings.Read(Configuration(
            (HostingSettingNames.PayloadCodecCurrentKeyId, currentKeyId), (HostingSettingNames.PayloadCodecKeys + ":k1", key))));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TaskQueuesList_IsTrimmedAndTheFirstIsBound()
    {
        var settings = HostingSettings.Read(Configuration((HostingSettingNames.TaskQueues, " gpu , default,gpu ")));

        Assert.Equal(["gpu", "default"], settings.TaskQueues);
        Assert.Equal(new TaskQueueBindings("wf-gpu", "act-gpu"), settings.Bindings);
    }

    [Theory]
    [InlineData("GPU")]
    [InlineData(" , ")]
    [InlineData("a--b")]
    public void Read_InvalidTaskQueues_ThrowsNamingTheSetting(string value)
    {
        var e = Assert.Throws<InvalidOperationException>(() => HostingSettings.Read(Configuration((HostingSettingNames.TaskQueues, value))));

        Assert.Contains(HostingSettingNames.TaskQueues, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PhysicalQueueSettings_MapToLogicalQueues()
    {
        var settings = HostingSettings.Read(Configuration(
            (HostingSettingNames.StoragePrefix, "prod"),
            (HostingSettingNames.WorkflowQueue, "prod-wf-orders"),
            (HostingSettingNames.ActivityQueue, "prod-act-gpu")));

        Assert.Equal(new TaskQueueBindings("wf-orders", "act-gpu"), settings.Bindings);
    }

    [Theory]
    [InlineData(HostingSettingNames.WorkflowQueue, "other-wf-default")]
    [InlineData(HostingSettingNames.WorkflowQueue, "sf-act-default")]
    [InlineData(HostingSettingNames.ActivityQueue, "sf-act-")]
    [InlineData(HostingSettingNames.ActivityQueue, "sf-act-Bad")]
    public void Read_QueueSettingOfAnotherPrefixOrKind_ThrowsNamingTheSetting(string setting, string value)
    {
        var e = Assert.Throws<InvalidOperationException>(() => HostingSettings.Read(Configuration((setting, value))));

        Assert.Contains(setting, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidPrefix_ThrowsNamingTheSetting()
    {
        var e = Assert.Throws<InvalidOperationException>(() => HostingSettings.Read(Configuration((HostingSettingNames.StoragePrefix, "Bad-Prefix"))));

        Assert.Contains(HostingSettingNames.StoragePrefix, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ConnectionString_GivesConnectionStringOptions()
    {
        var settings = HostingSettings.Read(Configuration(
            (HostingSettingNames.StorageConnection, "UseDevelopmentStorage=true"), (HostingSettingNames.StoragePrefix, "dev1")));

        Assert.Equal("UseDevelopmentStorage=true", settings.Storage?.ConnectionString);
        Assert.Equal("dev1", settings.Storage?.Prefix);
    }

    [Fact]
    public void Read_IdentityConnection_GivesServiceUrisAndAManagedIdentity()
    {
        var settings = HostingSettings.Read(Configuration(
            ("ServerlessFlowStorage:tableServiceUri", "https://acct.table.core.windows.net"),
            ("ServerlessFlowStorage:queueServiceUri", "https://acct.queue.core.windows.net"),
            ("ServerlessFlowStorage:credential", "managedidentity"),
            ("ServerlessFlowStorage:clientId", "00000000-0000-0000-0000-000000000001")));

        Assert.Equal(new Uri("https://acct.table.core.windows.net"), settings.Storage?.TableServiceUri);
        Assert.Equal(new Uri("https://acct.queue.core.windows.net"), settings.Storage?.QueueServiceUri);
        Assert.IsType<ManagedIdentityCredential>(settings.Storage?.TokenCredential);
        settings.Storage!.Validate();
    }

    [Fact]
    public void Read_EnvironmentVariableStyleKeys_AreTheSameSettings()
    {
        // App settings arrive as environment variables with "__"; the configuration provider maps them to ':'.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("ServerlessFlowStorage:accountName", "acct"), new("ServerlessFlow:TaskQueues", "orders")])
            .Build();

        var settings = HostingSettings.Read(configuration);

        Assert.Equal(new Uri("https://acct.table.core.windows.net"), settings.Storage?.TableServiceUri);
        Assert.Equal(new Uri("https://acct.queue.core.windows.net"), settings.Storage?.QueueServiceUri);
        Assert.Equal(["orders"], settings.TaskQueues);
    }

    [Fact]
    public void Read_IdentityConnectionWithoutQueueEndpoint_ThrowsNamingTheSetting()
    {
        var e = Assert.Throws<InvalidOperationException>(() => HostingSettings.Read(Configuration(
            ("ServerlessFlowStorage:tableServiceUri", "https://acct.table.core.windows.net"),
            ("ServerlessFlowStorage:credential", "managedidentity"))));

        Assert.Contains("queueServiceUri", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownCredentialKind_Throws()
    {
        var e = Assert.Throws<InvalidOperationException>(() => HostingSettings.Read(Configuration(
            ("ServerlessFlowStorage:accountName", "acct"), ("ServerlessFlowStorage:credential", "password"))));

        Assert.Contains("managedidentity", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddServerlessFlowHosting_ConcurrencySettings_BecomeTheWorkerOptions()
    {
        var services = new ServiceCollection();

        services.AddServerlessFlowHosting(
            Configuration((HostingSettingNames.MaxConcurrentWorkflowTasks, "4"), (HostingSettingNames.MaxConcurrentActivities, " 64 "), (HostingSettingNames.TaskQueues, "orders")),
            flow => flow.UseInMemoryBackend());

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<WorkerOptions>();
        Assert.Equal((4, 64), (options.MaxConcurrentWorkflowTasks, options.MaxConcurrentActivities));
        Assert.Equal(["orders"], options.TaskQueues);
    }

    [Fact]
    public void AddServerlessFlowHosting_NoConcurrencySettings_KeepsTheEngineDefaults()
    {
        var services = new ServiceCollection();

        services.AddServerlessFlowHosting(Configuration(), flow => flow.UseInMemoryBackend());

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<WorkerOptions>();
        var defaults = new WorkerOptions();
        Assert.Equal((defaults.MaxConcurrentWorkflowTasks, defaults.MaxConcurrentActivities), (options.MaxConcurrentWorkflowTasks, options.MaxConcurrentActivities));
    }

    [Theory]
    [InlineData(HostingSettingNames.MaxConcurrentWorkflowTasks, "0")]
    [InlineData(HostingSettingNames.MaxConcurrentWorkflowTasks, "-1")]
    [InlineData(HostingSettingNames.MaxConcurrentActivities, "many")]
    [InlineData(HostingSettingNames.MaxConcurrentActivities, "1.5")]
    [InlineData(HostingSettingNames.MaxConcurrentActivities, "99999999999")]
    public void Read_InvalidConcurrencyLimit_ThrowsNamingTheSetting(string setting, string value)
    {
        var e = Assert.Throws<InvalidOperationException>(() => HostingSettings.Read(Configuration((setting, value))));

        Assert.Contains(setting, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("0", null)]
    [InlineData(" 7 ", 7)]
    [InlineData("36500", 36500)]
    public void Read_RetentionDays_AbsentOrZeroIsTheDefaultElseTheDays(string? value, int? expected)
    {
        var settings = HostingSettings.Read(value is null ? Configuration() : Configuration((HostingSettingNames.RetentionDays, value)));

        Assert.Equal(expected, settings.RetentionDays);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("30d")]
    [InlineData("1.5")]
    [InlineData("36501")]
    public void Read_InvalidRetentionDays_ThrowsNamingTheSetting(string value)
    {
        var e = Assert.Throws<InvalidOperationException>(() => HostingSettings.Read(Configuration((HostingSettingNames.RetentionDays, value))));

        Assert.Contains(HostingSettingNames.RetentionDays, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddServerlessFlowHosting_AzureStorage_DeadLettersComeFromItsTable()
    {
        var services = new ServiceCollection();

        services.AddServerlessFlowHosting(Configuration((HostingSettingNames.StorageConnection, "UseDevelopmentStorage=true")));

        using var provider = services.BuildServiceProvider();
        Assert.IsType<AzureDeadLetterStore>(provider.GetRequiredService<IDeadLetterStore>());
    }

    [Fact]
    public void AddServerlessFlowHosting_AzureStorageReplacedByInMemory_DeadLettersAreUnavailable()
    {
        var services = new ServiceCollection();

        services.AddServerlessFlowHosting(Configuration((HostingSettingNames.StorageConnection, "UseDevelopmentStorage=true")), flow => flow.UseInMemoryBackend());

        using var provider = services.BuildServiceProvider();
        Assert.IsType<UnavailableDeadLetterStore>(provider.GetRequiredService<IDeadLetterStore>());
    }

    [Fact]
    public void AddServerlessFlowHosting_NoStorageAndNoBackend_ThrowsExplainingTheConnection()
    {
        var services = new ServiceCollection();

        var e = Assert.Throws<InvalidOperationException>(() => services.AddServerlessFlowHosting(Configuration()));

        Assert.Contains(HostingSettingNames.StorageConnection, e.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
