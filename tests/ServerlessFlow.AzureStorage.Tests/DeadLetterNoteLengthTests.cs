using ServerlessFlow.Engine.Backend;
using ServerlessFlow.TestSupport;

namespace ServerlessFlow.AzureStorage.Tests;

/// <summary>A dead-letter note is diagnostic text in the instance row's state: an overlong one is cut like LastTaskFailure, not stored whole.</summary>
[Collection(AzuriteSuite.Name)]
public sealed class DeadLetterNoteLengthTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Commit_NoteLongerThanTheDiagnosticLimit_StoresItCutAndSaysSo()
    {
        var backend = await TestBackends.CreateAsync(azurite);
        var id = BackendTestData.NewWorkflowId("long-note");
        var start = BackendTestData.StartCommit(id);
        var reason = new string('x', 100_000);
        var commit = start with { Instance = start.Instance with { DeadLetters = [new DeadLetterNote(reason, DateTimeOffset.UtcNow, 2, 2)] } };

        await backend.Store.CommitAsync(commit, CancellationToken.None);
        var note = Assert.Single((await backend.Store.ReadInstanceAsync(id, CancellationToken.None))!.DeadLetters).Note;

        Assert.StartsWith(reason[..AzureLimits.MaxDiagnosticTextLength], note, StringComparison.Ordinal);
        Assert.True(note.Length < AzureLimits.MaxDiagnosticTextLength + 100, $"the note kept {note.Length} characters");
        Assert.EndsWith("more characters not stored]", note, StringComparison.Ordinal);
    }
}
