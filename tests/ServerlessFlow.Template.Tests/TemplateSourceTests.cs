using System.Text.Json;
using System.Xml.Linq;
using ServerlessFlow.Azurite;

namespace ServerlessFlow.Template.Tests;

/// <summary>The template's own files against the repository's single sources, without packing anything.</summary>
public sealed class TemplateSourceTests
{
    private static readonly string Repository = AzuriteLocator.FindRepositoryRoot();

    private static readonly string Template = Path.Combine(Repository, "templates", "serverlessflow-app");

    [Fact]
    public void PackageVersions_EveryPackageTheRepositoryAlsoPins_HasTheRepositorysVersion()
    {
        // The template has no central props to inherit: it pins served versions itself, the same as functions/ builds with.
        var repository = PackageVersions(Path.Combine(Repository, "Directory.Packages.props"));
        var template = PackageVersions(Path.Combine(Template, "Directory.Packages.props"));

        var shared = template.Where(p => !p.Key.StartsWith("ServerlessFlow", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(shared);
        Assert.All(shared, p => Assert.Equal((p.Key, repository.GetValueOrDefault(p.Key)), (p.Key, p.Value)));
    }

    [Fact]
    public void PackageVersions_ServerlessFlowPackages_AreTheTemplatePackagesOwnVersion()
    {
        var template = PackageVersions(Path.Combine(Template, "Directory.Packages.props"));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Template, ".template.config", "template.json")));
        var symbol = json.RootElement.GetProperty("symbols").GetProperty("ServerlessFlowVersion");

        Assert.All(template.Where(p => p.Key.StartsWith("ServerlessFlow", StringComparison.Ordinal)), p => Assert.Equal("$(ServerlessFlowVersion)", p.Value));
        Assert.Equal("0.0.0-serverlessflow-version", symbol.GetProperty("replaces").GetString());
        Assert.Equal("@SERVERLESSFLOW_PACKAGE_VERSION@", symbol.GetProperty("parameters").GetProperty("value").GetString());
    }

    [Fact]
    public void Program_DeclaresThatTheFunctionsHostRebuildsRequestTargets()
    {
        // The functions come from functions/ at pack time; the Program is the template's own and must say what functions/ says.
        var program = File.ReadAllText(Path.Combine(Template, "src", "ServerlessFlowApp", "Program.cs"));

        Assert.Contains("new HttpApiOptions { RequestTargetRebuiltByProxy = true }", program, StringComparison.Ordinal);
        Assert.Contains("AddServerlessFlowStorageInitialization()", program, StringComparison.Ordinal);
    }

    [Fact]
    public void Program_WiresTheFunctionAppsOpenTelemetryNotTheApplicationInsightsSdk()
    {
        // Telemetry is OpenTelemetry to Azure Monitor, from functions/FunctionAppTelemetry.cs (pack copies it in).
        var app = Path.Combine(Template, "src", "ServerlessFlowApp");
        var program = File.ReadAllText(Path.Combine(app, "Program.cs"));
        var references = XDocument.Load(Path.Combine(app, "ServerlessFlowApp.csproj")).Descendants("PackageReference")
            .Select(e => (string)e.Attribute("Include")!).ToList();

        Assert.Contains("FunctionAppTelemetry.Add(builder.Services, builder.Configuration);", program, StringComparison.Ordinal);
        Assert.DoesNotContain("ApplicationInsights", program, StringComparison.Ordinal);
        Assert.Contains("Microsoft.Azure.Functions.Worker.OpenTelemetry", references);
        Assert.Contains("Azure.Monitor.OpenTelemetry.Exporter", references);
        Assert.DoesNotContain(references, r => r.Contains("ApplicationInsights", StringComparison.Ordinal));
    }

    [Fact]
    public void Template_HoldsNoCopyOfWhatPackCopies()
    {
        // infra/, host.json and the functions have one source each in the repository; pack copies them in.
        Assert.False(Directory.Exists(Path.Combine(Template, "infra")));
        Assert.False(File.Exists(Path.Combine(Template, "src", "ServerlessFlowApp", "host.json")));
        Assert.False(Directory.Exists(Path.Combine(Template, "src", "ServerlessFlowApp", "Functions")));
    }

    [Fact]
    public void AzuritePinnedVersion_IsTheVersionTheRepositoryLockFileInstalls()
    {
        using var lockFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository, "package-lock.json")));

        var locked = lockFile.RootElement.GetProperty("packages").GetProperty("node_modules/azurite").GetProperty("version").GetString();

        Assert.Equal(AzuriteInstallation.PinnedVersion, locked);
    }

    private static Dictionary<string, string> PackageVersions(string props) =>
        XDocument.Load(props).Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
}
