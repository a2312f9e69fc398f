using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ServerlessFlow.Deployment.Tests;

/// <summary>No key, SAS, password or storage connection string exists anywhere in the deployment.</summary>
[Collection(InfraTests.Name)]
public sealed partial class NoSecretsTests(InfraFixture infra)
{
    // Text that only appears where key material is built or passed around.
    private static readonly string[] KeyMaterialMarkers =
    [
        "AccountKey",
        "SharedAccessSignature",
        "SharedAccessKey",
        "DefaultEndpointsProtocol",
        "InstrumentationKey=",
        "sig=",
    ];

    // The only app setting whose name says "connection string": an address once local auth is off.
    private const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    [Fact]
    public void CompiledTemplates_ListFunctions_AreNeverCalled()
    {
        foreach (var template in Templates())
        {
            var match = ListFunctionCall().Match(template.ToJsonString());
            Assert.False(match.Success, $"A list* function (listKeys, listAccountSas, ...) is called: '{match.Value}'.");
        }
    }

    [Fact]
    public void CompiledTemplates_KeyMaterial_NeverAppears()
    {
        foreach (var template in Templates())
        {
            var json = template.ToJsonString();
            Assert.All(KeyMaterialMarkers, marker => Assert.DoesNotContain(marker, json, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void CompiledTemplates_SecureParametersAndOutputs_AreNotDeclared()
    {
        // Nothing secret goes in or out: a securestring/secureObject would mean a credential is handled.
        foreach (var template in Templates())
        {
            var json = template.ToJsonString();
            Assert.DoesNotContain("\"securestring\"", json, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("\"secureObject\"", json, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void FunctionApp_AppSettings_HoldNoCredentials()
    {
        var settings = infra.DefaultSnapshot.AppSettings();

        // A plain AzureWebJobsStorage (or any *ConnectionString/*Key/*Password/*Secret) is a credential.
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        var credentialLike = settings.Keys
            .Where(name => CredentialLikeName().IsMatch(name) && name != ApplicationInsightsConnectionString)
            .ToList();
        Assert.Empty(credentialLike);
    }

    [Fact]
    public void FunctionApp_ConnectionStrings_AreNotConfigured()
    {
        var site = infra.DefaultSnapshot.Only("Microsoft.Web/sites");
        Assert.Null(site["properties"]!["siteConfig"]!["connectionStrings"]);
        Assert.Empty(infra.DefaultSnapshot.OfType("Microsoft.Web/sites/config"));
    }

    [Fact]
    public void Monitoring_LocalAuthentication_IsDisabled()
    {
        // With local auth off, the Application Insights connection string cannot ingest telemetry on
        // its own: only an Entra ID token of a principal with Monitoring Metrics Publisher can.
        var insights = infra.DefaultSnapshot.Only("Microsoft.Insights/components");
        Assert.True((bool?)insights["properties"]!["DisableLocalAuth"], "Application Insights must reject instrumentation-key-only ingestion.");
        var workspace = infra.DefaultSnapshot.Only("Microsoft.OperationalInsights/workspaces");
        Assert.True((bool?)workspace["properties"]!["features"]!["disableLocalAuth"], "Log Analytics must reject shared-key access.");
    }

    [Fact]
    public void FunctionApp_ScmBasicAuth_IsDisabled()
    {
        var policy = infra.DefaultSnapshot.Only("Microsoft.Web/sites/basicPublishingCredentialsPolicies");
        Assert.EndsWith("/scm", (string)policy["name"]!, StringComparison.Ordinal);
        Assert.False((bool)policy["properties"]!["allow"]!);
    }

    private IEnumerable<JsonObject> Templates() => [infra.MainTemplate, infra.SubscriptionTemplate];

    [GeneratedRegex(@"\blist[A-Za-z]*\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex ListFunctionCall();

    [GeneratedRegex("connection_?string|key$|password|secret", RegexOptions.IgnoreCase)]
    private static partial Regex CredentialLikeName();
}
