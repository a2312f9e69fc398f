using System.Buffers;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.AzureStorage.Tests;

public sealed class KeyEscapingTests
{
    private static readonly SearchValues<char> Forbidden = SearchValues.Create("/\\#?%'+|");

    public static TheoryData<string> Ids => new(
        "a/b", "a%2Fb", "a^2Fb", "a^5E2Fb", "a\\b", "a#b", "a?b", "a\u0001b", "a\u009Fb", "a'b", "a+b", "a|b", "^", "^^", "ä/日本/😀", "a\uD800b", "a\uDC00", "\uD83D");

    [Theory]
    [MemberData(nameof(Ids))]
    public void Escape_HostileId_LeavesNoForbiddenCharacterAndRoundTrips(string id)
    {
        var key = KeyEscaping.Escape(id);

        Assert.Equal(-1, key.AsSpan().IndexOfAny(Forbidden));
        Assert.DoesNotContain(key, char.IsControl);
        Assert.False(HasLoneSurrogate(key));
        Assert.Equal(id, KeyEscaping.Unescape(key));
    }

    [Fact]
    public void Escape_IdsThatLookEscaped_GiveDistinctKeys()
    {
        string[] ids = ["a/b", "a%2Fb", "a^2Fb", "a^5E2Fb", "a\uD800b", "a\uFFFDb", "a^uD800b"];

        var keys = ids.Select(KeyEscaping.Escape).ToList();

        Assert.Equal(ids.Length, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("a^2Fb", keys[0]);
        Assert.Equal("a^5E2Fb", keys[2]);
    }

    [Theory]
    [InlineData("order-42")]
    [InlineData("日本語 😀 ok")]
    [InlineData("a.b_c~d(e)")]
    public void Escape_OrdinaryId_IsUnchanged(string id) => Assert.Same(id, KeyEscaping.Escape(id));

    [Theory]
    [InlineData("a^")]
    [InlineData("a^2")]
    [InlineData("a^ZZ")]
    [InlineData("a^u12")]
    public void Unescape_MalformedKey_ThrowsStoreException(string key) =>
        Assert.Throws<StoreException>(() => KeyEscaping.Unescape(key));

    [Fact]
    public void PartitionKey_TooLongOnceEscaped_ThrowsNamingTheLimit()
    {
        var id = new string('/', 200);

        var error = Assert.Throws<InvalidWorkflowRequestException>(() => KeyEscaping.PartitionKey(id));

        Assert.Contains("512", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PartitionKey_EmptyId_Throws() =>
        Assert.Throws<InvalidWorkflowRequestException>(() => KeyEscaping.PartitionKey(""));

    [Fact]
    public void RowKeys_History_SortsByRunThenEventWithContinuationsInBetween()
    {
        string[] expected =
        [
            RowKeys.History("r", 9),
            RowKeys.Continuation(RowKeys.History("r", 9), 1),
            RowKeys.Continuation(RowKeys.History("r", 9), 2),
            RowKeys.History("r", 10),
            RowKeys.History("r", 100),
        ];

        Assert.Equal(expected, expected.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void RowKeys_HistoryRange_CoversExactlyOneRunAfterTheGivenEvent()
    {
        var lower = RowKeys.HistoryAfter("r", 9);
        var upper = RowKeys.HistoryEnd("r");
        bool InRange(string key) => string.CompareOrdinal(key, lower) > 0 && string.CompareOrdinal(key, upper) < 0;

        Assert.False(InRange(RowKeys.History("r", 9)));
        Assert.False(InRange(RowKeys.Continuation(RowKeys.History("r", 9), 3)));
        Assert.True(InRange(RowKeys.History("r", 10)));
        Assert.True(InRange(RowKeys.Continuation(RowKeys.History("r", 10), 1)));
        Assert.True(InRange(RowKeys.History("r", long.MaxValue)));
        Assert.False(InRange(RowKeys.History("r1", 10)));
        Assert.False(InRange(RowKeys.History("r|x", 10)));
        Assert.False(InRange(RowKeys.History("r}", 10)));
        Assert.False(InRange(RowKeys.Inbox("r")));
        Assert.False(InRange(RowKeys.Instance));
    }

    [Fact]
    public void RowKeys_InboxRange_HoldsInboxRowsOnly()
    {
        bool InRange(string key) => string.CompareOrdinal(key, RowKeys.InboxStart) >= 0 && string.CompareOrdinal(key, RowKeys.InboxEnd) < 0;

        Assert.True(InRange(RowKeys.Inbox("a-run-2")));
        Assert.True(InRange(RowKeys.Continuation(RowKeys.Inbox("}}}"), 1)));
        Assert.False(InRange(RowKeys.Instance));
        Assert.False(InRange(RowKeys.History("m", 1)));
        Assert.False(InRange(RowKeys.Run("x")));
        Assert.False(InRange(RowKeys.Activity("x", 1)));
    }

    private static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }
}
