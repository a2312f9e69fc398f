using System.Text.Json.Nodes;

namespace ServerlessFlow.Deployment.Tests;

/// <summary>infra/ compiles and lints clean with the real bicep CLI, under a config that only tightens rules.</summary>
[Collection(InfraTests.Name)]
public sealed class LintTests(InfraFixture infra)
{
    // Levels that still make a finding visible; anything else ("info", "off") would hide one.
    private static readonly string[] StrictLevels = ["warning", "error"];

    [Fact]
    public void Lint_MainTemplate_ReportsNothing() => AssertClean(infra.LintMain, "bicep lint main.bicep");

    [Fact]
    public void Lint_SubscriptionTemplate_ReportsNothing() => AssertClean(infra.LintSubscription, "bicep lint subscription.bicep");

    [Fact]
    public void Lint_ParametersFile_ReportsNothing() => AssertClean(infra.LintParameters, "bicep lint main.bicepparam");

    [Fact]
    public void Build_MainTemplate_EmitsNoDiagnostics() => AssertClean(infra.BuildMain with { StandardOutput = "" }, "bicep build main.bicep");

    [Fact]
    public void Build_SubscriptionTemplate_EmitsNoDiagnostics() => AssertClean(infra.BuildSubscription with { StandardOutput = "" }, "bicep build subscription.bicep");

    [Fact]
    public void BicepConfig_Rules_AreOnlyEverTightened()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "bicepconfig.json")))!;
        var core = config["analyzers"]!["core"]!;

        Assert.True((bool?)core["enabled"] ?? true, "The core linter must stay enabled.");
        var rules = core["rules"]!.AsObject();
        Assert.NotEmpty(rules);
        Assert.All(rules, rule => Assert.Contains((string?)rule.Value!["level"], StrictLevels));
    }

    private static void AssertClean(BicepResult result, string command)
    {
        Assert.True(result.ExitCode == 0, $"{command} failed: {result.AllOutput}");
        Assert.True(
            string.IsNullOrWhiteSpace(result.StandardOutput) && string.IsNullOrWhiteSpace(result.StandardError),
            $"{command} reported diagnostics: {result.AllOutput}");
    }
}
