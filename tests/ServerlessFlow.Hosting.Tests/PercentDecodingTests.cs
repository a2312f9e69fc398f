using ServerlessFlow.Hosting.Http;

namespace ServerlessFlow.Hosting.Tests;

public sealed class PercentDecodingTests
{
    [Theory]
    [InlineData("plain", false, "plain")]
    [InlineData("a%2Fb", false, "a/b")]
    [InlineData("a%2fb", false, "a/b")]
    [InlineData("%25", false, "%")]
    [InlineData("a+b", false, "a+b")]
    [InlineData("a+b", true, "a b")]
    [InlineData("%2B", true, "+")]
    [InlineData("%C3%BC", false, "ü")]
    [InlineData("ü", false, "ü")]
    [InlineData("%F0%9F%98%80", false, "😀")]
    public void TryDecode_ValidInput_Decodes(string text, bool plusIsSpace, string expected)
    {
        Assert.Equal(expected, PercentDecoding.TryDecode(text, plusIsSpace));
    }

    [Theory]
    [InlineData("%")]
    [InlineData("%4")]
    [InlineData("%ZZ")]
    [InlineData("%FF")]
    [InlineData("%C3")]
    [InlineData("%C3%28")]
    [InlineData("%ED%A0%80")]
    [InlineData("%C0%AF")]
    public void TryDecode_MalformedOrNotUtf8_ReturnsNull(string text)
    {
        Assert.Null(PercentDecoding.TryDecode(text, plusIsSpace: false));
    }
}
