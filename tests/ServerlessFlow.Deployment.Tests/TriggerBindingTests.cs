using System.Text.Json;

namespace ServerlessFlow.Deployment.Tests;

/// <summary>
/// The queue triggers the Functions SDK generated for functions/ resolve on the deployed app: every
/// %setting% they bind is an app setting, and their connection is configured with a queue endpoint.
/// </summary>
[Collection(InfraTests.Name)]
public sealed class TriggerBindingTests(InfraFixture infra)
{
    [Fact]
    public void QueueTriggers_BindingExpressionsAndConnections_AreAppSettingsOfTheDeployment()
    {
        var settings = infra.DefaultSnapshot.AppSettings();
        using var metadata = JsonDocument.Parse(File.ReadAllText(BicepCli.FunctionsMetadata));
        var triggers = metadata.RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "queueTrigger")
            .ToList();

        Assert.Equal(2, triggers.Count);
        Assert.All(triggers, trigger =>
        {
            var queueName = trigger.GetProperty("queueName").GetString()!;
            Assert.StartsWith("%", queueName, StringComparison.Ordinal);
            Assert.Contains(EngineNames.AppSetting(queueName.Trim('%')), settings.Keys);
            Assert.Contains($"{trigger.GetProperty("connection").GetString()}__queueServiceUri", settings.Keys);
        });
    }
}
