using ServerlessFlow.Azurite;

namespace ServerlessFlow.Template.Tests;

/// <summary>Where the dev server finds a project's Azurite before it installs one.</summary>
public sealed class AzuriteInstallationTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sf-azurite-find-").FullName;

    [Fact]
    public void Find_NoAzuriteAnywhere_ReturnsNull()
    {
        var project = Directory.CreateDirectory(Path.Combine(root, "app", "src", "App.DevServer")).FullName;

        Assert.Null(AzuriteInstallation.Find(project));
    }

    [Fact]
    public void Find_AzuriteInANodeModulesAboveTheProject_ReturnsItsEntryPoint()
    {
        var project = Directory.CreateDirectory(Path.Combine(root, "app", "src", "App.DevServer")).FullName;
        var script = FakeEntryPoint(Path.Combine(root, "app"));

        Assert.Equal(script, AzuriteInstallation.Find(project));
    }

    [Fact]
    public void Find_PrivateInstallOnly_ReturnsTheProjectsOwnInstall()
    {
        var project = Directory.CreateDirectory(Path.Combine(root, "app")).FullName;
        var script = FakeEntryPoint(AzuriteInstallation.PrivateInstallFolder(project));

        Assert.Equal(script, AzuriteInstallation.Find(project));
        Assert.StartsWith(Path.Combine(project, AzuriteInstallation.ProjectStateFolder), script, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_NearerInstallAndFartherOne_PrefersTheNearer()
    {
        var project = Directory.CreateDirectory(Path.Combine(root, "app", "src", "App.DevServer")).FullName;
        FakeEntryPoint(root);
        var nearer = FakeEntryPoint(project);

        Assert.Equal(nearer, AzuriteInstallation.Find(project));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static string FakeEntryPoint(string folder)
    {
        var script = Path.Combine(folder, "node_modules", "azurite", "dist", "src", "azurite.js");
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        File.WriteAllText(script, "// a stand-in: only its path is looked at");
        return script;
    }
}
