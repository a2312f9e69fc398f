using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ServerlessFlow.Deployment.Tests;

/// <summary>A Flex Consumption plan on Linux runs the app on the .NET version the code targets.</summary>
[Collection(InfraTests.Name)]
public sealed partial class HostingTests(InfraFixture infra)
{
    // The instance memory sizes Flex Consumption offers, in MB.
    private static readonly int[] FlexInstanceSizes = [512, 2048, 4096];

    [Fact]
    public void Plan_Sku_IsFlexConsumptionOnLinux()
    {
        var plan = infra.DefaultSnapshot.Only("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.True((bool)plan["properties"]!["reserved"]!, "reserved = true is what makes an App Service plan Linux.");
    }

    [Fact]
    public void FunctionApp_Kind_IsLinuxFunctionAppOnThePlan()
    {
        var site = infra.DefaultSnapshot.Only("Microsoft.Web/sites");
        var planId = (string)infra.DefaultSnapshot.Only("Microsoft.Web/serverfarms")["id"]!;

        Assert.Equal("functionapp,linux", (string?)site["kind"]);
        Assert.Equal(planId, (string?)site["properties"]!["serverFarmId"]);
    }

    [Fact]
    public void FunctionApp_Runtime_IsDotnetIsolatedAtTheRepositoryTargetFramework()
    {
        var runtime = infra.DefaultSnapshot.Only("Microsoft.Web/sites")["properties"]!["functionAppConfig"]!["runtime"]!;

        // The deployed runtime must be the one every project (functions/ included) is built for.
        var targetFramework = XDocument.Load(Path.Combine(BicepCli.RepositoryRoot, "Directory.Build.props"))
            .Descendants("TargetFramework").Single().Value;
        var match = TargetFrameworkVersion().Match(targetFramework);
        Assert.True(match.Success, $"Directory.Build.props targets '{targetFramework}', not netX.Y.");

        Assert.Equal("dotnet-isolated", (string?)runtime["name"]);
        Assert.Equal(match.Groups["version"].Value, (string?)runtime["version"]);
    }

    [Fact]
    public void FunctionApp_Transport_IsHttpsOnlyWithTls12()
    {
        var properties = infra.DefaultSnapshot.Only("Microsoft.Web/sites")["properties"]!;

        Assert.True((bool)properties["httpsOnly"]!, "HTTP must redirect to HTTPS.");
        Assert.Equal("1.2", (string?)properties["siteConfig"]!["minTlsVersion"]);
    }

    [Fact]
    public void FunctionApp_Scale_HasFlexConsumptionLimits()
    {
        var scale = infra.DefaultSnapshot.Only("Microsoft.Web/sites")["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!;

        Assert.InRange((int)scale["maximumInstanceCount"]!, 40, 1000);
        Assert.Contains((int)scale["instanceMemoryMB"]!, FlexInstanceSizes);
    }

    [Fact]
    public void MainTemplate_Outputs_GiveTheAppNameAndUrls()
    {
        var outputs = infra.DefaultSnapshot.Outputs;
        var appName = (string)infra.DefaultSnapshot.Only("Microsoft.Web/sites")["name"]!;

        Assert.Equal(appName, (string?)outputs["functionAppName"]);
        Assert.Contains("defaultHostName", (string?)outputs["functionAppUrl"], StringComparison.Ordinal);
        Assert.StartsWith("[format('https://{0}/api'", (string?)outputs["apiBaseUrl"], StringComparison.Ordinal);
        Assert.NotNull(outputs["storageAccountName"]);
    }

    [GeneratedRegex(@"^net(?<version>\d+\.\d+)$")]
    private static partial Regex TargetFrameworkVersion();
}
