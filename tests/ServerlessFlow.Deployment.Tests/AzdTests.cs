using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ServerlessFlow.Deployment.Tests;

/// <summary>azure.yaml and its subscription-scope entry give "azd up" a complete deployment.</summary>
[Collection(InfraTests.Name)]
public sealed partial class AzdTests(InfraFixture infra)
{
    private static readonly string AzureYaml = File.ReadAllText(Path.Combine(BicepCli.RepositoryRoot, "azure.yaml"));

    [Fact]
    public void AzureYaml_Infra_PointsAtTheSubscriptionEntry()
    {
        var module = YamlValue("module");
        Assert.Equal("bicep", YamlValue("provider"));
        Assert.Equal("infra", YamlValue("path"));
        Assert.True(File.Exists(Path.Combine(BicepCli.InfraDirectory, $"{module}.bicep")), $"infra/{module}.bicep does not exist.");
        Assert.True(File.Exists(Path.Combine(BicepCli.InfraDirectory, $"{module}.parameters.json")), $"infra/{module}.parameters.json does not exist.");
    }

    [Fact]
    public void AzureYaml_Service_IsTheDotnetFunctionAppTaggedInBicep()
    {
        var service = ServiceName().Match(AzureYaml);
        Assert.True(service.Success, "azure.yaml declares no service.");
        Assert.Equal("./functions", YamlValue("project"));
        Assert.Equal("dotnet", YamlValue("language"));
        Assert.Equal("function", YamlValue("host"));

        // azd deploys the service to the resource tagged azd-service-name=<service>.
        var tags = infra.SubscriptionSnapshot.Only("Microsoft.Web/sites")["tags"]!;
        Assert.Equal(service.Groups["name"].Value, (string?)tags["azd-service-name"]);
    }

    [Fact]
    public void AzdParameters_RequiredParameters_AreAllSupplied()
    {
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "subscription.parameters.json")))!["parameters"]!.AsObject();
        var required = infra.SubscriptionTemplate["parameters"]!.AsObject()
            .Where(parameter => parameter.Value!["defaultValue"] is null)
            .Select(parameter => parameter.Key)
            .ToList();

        Assert.NotEmpty(required);
        Assert.All(required, name => Assert.True(parameters.ContainsKey(name), $"subscription.parameters.json does not supply '{name}'."));
    }

    [Fact]
    public void SubscriptionTemplate_Deployment_CreatesTheResourceGroupAndTagsItForAzd()
    {
        var group = infra.SubscriptionSnapshot.Only("Microsoft.Resources/resourceGroups");
        Assert.Equal("rg-test", (string?)group["name"]);
        Assert.Equal("test", (string?)group["tags"]!["azd-env-name"]);

        // Everything else lands in that group.
        var others = infra.SubscriptionSnapshot.Resources.Where(resource => resource != group).ToList();
        Assert.NotEmpty(others);
        Assert.All(others, resource => Assert.StartsWith((string)group["id"]! + "/", (string)resource["id"]!, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void SubscriptionTemplate_Deployment_HasTheSameResourcesAsTheResourceGroupEntry()
    {
        static IEnumerable<string> Types(Snapshot snapshot) => snapshot.Resources.Select(resource => (string)resource["type"]!).Order();

        var inGroup = Types(infra.SubscriptionSnapshot).Where(type => type != "Microsoft.Resources/resourceGroups");
        Assert.Equal(Types(infra.DefaultSnapshot), inGroup);
    }

    [Fact]
    public void SubscriptionTemplate_Outputs_IncludeTheAppNameForAzd()
    {
        var appName = (string)infra.SubscriptionSnapshot.Only("Microsoft.Web/sites")["name"]!;
        Assert.Equal(appName, (string?)infra.SubscriptionSnapshot.Outputs["AZURE_FUNCTION_APP_NAME"]);
        Assert.Equal("rg-test", (string?)infra.SubscriptionSnapshot.Outputs["AZURE_RESOURCE_GROUP"]);
    }

    // azure.yaml is flat enough that "key: value" lines identify each setting uniquely.
    private static string YamlValue(string key)
    {
        var match = Regex.Match(AzureYaml, $@"^\s*{Regex.Escape(key)}:\s*(?<value>\S+)\s*$", RegexOptions.Multiline);
        Assert.True(match.Success, $"azure.yaml has no '{key}:' setting.");
        return match.Groups["value"].Value;
    }

    [GeneratedRegex(@"^services:\s*\n\s+(?<name>[A-Za-z0-9-]+):\s*$", RegexOptions.Multiline)]
    private static partial Regex ServiceName();
}
