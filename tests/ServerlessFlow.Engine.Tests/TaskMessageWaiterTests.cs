using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Engine.Tests;

/// <summary>
/// Each message kind says which run its work is about (<see cref="TaskMessage.WorksFor"/>, the handler's log scope) and which run
/// waits on it (<see cref="TaskMessage.WaitedOnBy"/>, where a dead letter of it is noted), for every golden message of
/// <see cref="TaskMessageWireTests"/>: the expected values are what the handler's and the dead-letter notice's switches gave.
/// </summary>
public sealed class TaskMessageWaiterTests
{
    private const string Timer = "2026-12-07T08:30:00.1234567+00:00";

    /// <summary>For each golden message (by its index): the run its work is about, and the run that waits on it with what the note names.</summary>
    private static readonly ((string, string?)? WorksFor, WaitingRun? WaitedOnBy)[] Expected =
    [
        (("order-1", null), new("order-1", null, null, null, "a wake-up")),
        (("order-1", "run-1"), new("order-1", "run-1", null, null, $"a wake-up for the timer due at {Timer}")),
        (("ümlaut/ü+1", "run-1"), new("ümlaut/ü+1", "run-1", null, null, "a wake-up")),
        (("order-1", "run-1"), new("order-1", "run-1", 5, 5, "the task of activity event 5 (attempt 1)")),
        (("order-1", "run-1"), new("order-1", "run-1", 5, 29, "the task of the batch of activity events 5 through 29")),
        (("parent", "run-p"), new("parent", "run-p", 7, 7, "the start of the child workflow of event 7")),
        (("child", "run-c"), new("parent", "run-p", 7, 7, "the report of child workflow 'child' that it closed")),
        (("child", "run-c"), null),
        (("child", null), null),
        (("child", null), null),
        (("order-1", "run-1"), new("order-1", "run-1", 5, 5, "the timeout check of activity event 5")),
        (("order-1", "run-1"), new("order-1", "run-1", 5, 29, "the timeout check of activity events 5 through 29")),
        (null, null),
        (null, null),
        (null, null),
        (("order-1", "run-1"), new("order-1", "run-1", null, null, "the activity check")),
        (("sender", "run-s"), new("sender", "run-s", 9, 9, "the request to another workflow of event 9")),
    ];

    public static TheoryData<int> Indexes => [.. Enumerable.Range(0, Expected.Length)];

    [Theory]
    [MemberData(nameof(Indexes))]
    public void WorksForAndWaitedOnBy_GoldenMessage_NameTheRunsTheSwitchesNamed(int index)
    {
        var message = TaskMessage.TryParse((string)TaskMessageWireTests.Golden.ElementAt(index)[1])!;

        Assert.Equal(Expected[index].WorksFor, message.WorksFor);
        Assert.Equal(Expected[index].WaitedOnBy, message.WaitedOnBy);
    }

    [Fact]
    public void Expected_GoldenMessages_CoverEveryKind()
    {
        var kinds = TaskMessageWireTests.Golden.Select(row => ((Type)row[0]).Name).Distinct().Count();

        Assert.Equal(TaskMessageWireTests.Golden.Count, Expected.Length);
        Assert.Equal(Enum.GetValues<TaskKind>().Length, kinds);
    }
}
