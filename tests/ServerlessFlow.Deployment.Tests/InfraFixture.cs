using System.Text.Json.Nodes;

namespace ServerlessFlow.Deployment.Tests;

/// <summary>Shares one set of bicep runs among all the deployment tests.</summary>
[CollectionDefinition(Name)]
public sealed class InfraTests : ICollectionFixture<InfraFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "infra";
}

/// <summary>
/// Runs the bicep CLI once for the whole test run: lint, build and snapshot of infra/. Snapshots
/// write files next to their parameters file, so they run on a copy of infra/ in a temporary folder.
/// </summary>
public sealed class InfraFixture : IAsyncLifetime, IDisposable
{
    /// <summary>The subscription the snapshots pretend to deploy to.</summary>
    public const string SubscriptionId = "00000000-0000-0000-0000-000000000000";

    /// <summary>The resource group the resource-group-scope snapshots pretend to deploy to.</summary>
    public const string ResourceGroup = "rg-serverlessflow-test";

    /// <summary>The region the snapshots pretend to deploy to.</summary>
    public const string Location = "eastus";

    /// <summary>The prefix <see cref="CustomSnapshot"/> sets instead of the default.</summary>
    public const string CustomPrefix = "acme";

    /// <summary>The task queues <see cref="CustomSnapshot"/> serves instead of the default.</summary>
    public static readonly IReadOnlyList<string> CustomTaskQueues = ["orders", "billing"];

    /// <summary>The Key Vault secret URIs of the payload keys k1 and k2 (k2 current) that <see cref="CustomSnapshot"/> sets.</summary>
    public static readonly string[] CustomPayloadKeyUris = ["https://contoso-kv.vault.azure.net/secrets/sf-payload-k1", "https://contoso-kv.vault.azure.net/secrets/sf-payload-k2"];

    /// <summary>The retention <see cref="CustomSnapshot"/> sets instead of the default.</summary>
    public const int CustomRetentionDays = 7;

    // Two bicep processes at a time: the machine has two cores and each run is CPU-bound.
    private readonly SemaphoreSlim _slots = new(2);
    private readonly string _workDirectory = Path.Combine(Path.GetTempPath(), "sf-infra-" + Guid.NewGuid().ToString("N"));

    // A failed snapshot fails only the tests that read it (with bicep's output), not the whole run:
    // the lint tests then say precisely what is wrong.
    private Lazy<Snapshot> _defaults = null!;
    private Lazy<Snapshot> _parametersFile = null!;
    private Lazy<Snapshot> _custom = null!;
    private Lazy<Snapshot> _azd = null!;

    /// <summary>"bicep lint infra/main.bicep".</summary>
    public BicepResult LintMain { get; private set; } = null!;

    /// <summary>"bicep lint infra/subscription.bicep".</summary>
    public BicepResult LintSubscription { get; private set; } = null!;

    /// <summary>"bicep lint infra/main.bicepparam".</summary>
    public BicepResult LintParameters { get; private set; } = null!;

    /// <summary>"bicep build infra/main.bicep --stdout".</summary>
    public BicepResult BuildMain { get; private set; } = null!;

    /// <summary>"bicep build infra/subscription.bicep --stdout".</summary>
    public BicepResult BuildSubscription { get; private set; } = null!;

    /// <summary>The compiled ARM JSON of main.bicep.</summary>
    public JsonObject MainTemplate => ParseTemplate(BuildMain, "main.bicep");

    /// <summary>The compiled ARM JSON of subscription.bicep.</summary>
    public JsonObject SubscriptionTemplate => ParseTemplate(BuildSubscription, "subscription.bicep");

    /// <summary>main.bicep deployed to a resource group with every parameter at its default.</summary>
    public Snapshot DefaultSnapshot => _defaults.Value;

    /// <summary>main.bicep deployed with the checked-in infra/main.bicepparam.</summary>
    public Snapshot ParametersFileSnapshot => _parametersFile.Value;

    /// <summary>subscription.bicep deployed to a subscription, as azd does.</summary>
    public Snapshot SubscriptionSnapshot => _azd.Value;

    /// <summary>main.bicep with <see cref="CustomPrefix"/>, <see cref="CustomTaskQueues"/> and <see cref="CustomRetentionDays"/>.</summary>
    public Snapshot CustomSnapshot => _custom.Value;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        CopyDirectory(BicepCli.InfraDirectory, _workDirectory);
        var customQueues = string.Join(", ", CustomTaskQueues.Select(queue => $"'{queue}'"));
        await File.WriteAllTextAsync(Path.Combine(_workDirectory, "defaults.bicepparam"), "using 'main.bicep'\n");
        await File.WriteAllTextAsync(
            Path.Combine(_workDirectory, "custom.bicepparam"),
            $"using 'main.bicep'\nparam storagePrefix = '{CustomPrefix}'\nparam taskQueues = [{customQueues}]\nparam retentionDays = {CustomRetentionDays}\n" +
            $"param payloadCodecCurrentKeyId = 'k2'\nparam payloadCodecKeySecretUris = {{ k1: '{CustomPayloadKeyUris[0]}', k2: '{CustomPayloadKeyUris[1]}' }}\n");
        await File.WriteAllTextAsync(
            Path.Combine(_workDirectory, "azd.bicepparam"),
            $"using 'subscription.bicep'\nparam environmentName = 'test'\nparam location = '{Location}'\n");

        var infra = BicepCli.InfraDirectory;
        var lintMain = RunAsync(infra, "lint", "main.bicep");
        var lintSubscription = RunAsync(infra, "lint", "subscription.bicep");
        var lintParameters = RunAsync(infra, "lint", "main.bicepparam");
        var buildMain = RunAsync(infra, "build", "main.bicep", "--stdout");
        var buildSubscription = RunAsync(infra, "build", "subscription.bicep", "--stdout");
        var defaults = SnapshotAsync("defaults", atSubscription: false);
        var parametersFile = SnapshotAsync("main", atSubscription: false);
        var custom = SnapshotAsync("custom", atSubscription: false);
        var azd = SnapshotAsync("azd", atSubscription: true);

        LintMain = await lintMain;
        LintSubscription = await lintSubscription;
        LintParameters = await lintParameters;
        BuildMain = await buildMain;
        BuildSubscription = await buildSubscription;
        _defaults = await defaults;
        _parametersFile = await parametersFile;
        _custom = await custom;
        _azd = await azd;
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose()
    {
        _slots.Dispose();
        if (Directory.Exists(_workDirectory))
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
    }

    private async Task<BicepResult> RunAsync(string workingDirectory, params string[] arguments)
    {
        await _slots.WaitAsync();
        try
        {
            return await BicepCli.RunAsync(workingDirectory, arguments);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<Lazy<Snapshot>> SnapshotAsync(string parametersName, bool atSubscription)
    {
        List<string> arguments =
        [
            "snapshot", $"{parametersName}.bicepparam",
            "--mode", "overwrite",
            "--subscription-id", SubscriptionId,
            "--location", Location,
        ];
        if (!atSubscription)
        {
            arguments.AddRange(["--resource-group", ResourceGroup]);
        }

        var result = await RunAsync(_workDirectory, [.. arguments]);
        if (result.ExitCode != 0)
        {
            return new Lazy<Snapshot>(() => throw new InvalidOperationException(
                $"bicep snapshot {parametersName}.bicepparam failed: {result.AllOutput}"));
        }

        var snapshot = Snapshot.Parse(await File.ReadAllTextAsync(Path.Combine(_workDirectory, $"{parametersName}.snapshot.json")));
        return new Lazy<Snapshot>(snapshot);
    }

    private static JsonObject ParseTemplate(BicepResult build, string file)
    {
        Assert.True(build.ExitCode == 0, $"bicep build {file} failed: {build.AllOutput}");
        return JsonNode.Parse(build.StandardOutput)!.AsObject();
    }

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
