using Microsoft.AspNetCore.Http;
using ServerlessFlow.Hosting.Http;

namespace ServerlessFlow.Hosting.Tests;

/// <summary>How the HTTP layer reads filter values, dates and ETags, without a server.</summary>
public sealed class SearchAttributeFilterTests
{
    public static TheoryData<string, object> Values => new()
    {
        { "true", true },
        { "false", false },
        { "42", 42L },
        { "-7", -7L },
        { "99999999999999999999", 1e20 },
        { "1.5", 1.5 },
        { "-2e3", -2000.0 },
        { "2026-11-23T13:20:00Z", new DateTimeOffset(2026, 11, 23, 13, 20, 0, TimeSpan.Zero) },
        { "2026-11-23T14:20:00.5+01:00", new DateTimeOffset(2026, 11, 23, 14, 20, 0, 500, TimeSpan.FromHours(1)) },
        { "\"123\"", "123" },
        { "\"true\"", "true" },
        { "\"\"", "" },
        { "ann", "ann" },
        { "True", "True" },
        { "NaN", "NaN" },
        { "Infinity", "Infinity" },
        { "2026-11-23", "2026-11-23" },
        { "2026-11-23T13:20:00", "2026-11-23T13:20:00" },
        { "\"half", "\"half" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void ParseValue_ByForm_GivesTheClrValueTheEngineConverts(string text, object expected)
    {
        var value = SearchAttributeFilters.ParseValue(text);

        Assert.Equal(expected.GetType(), value.GetType());
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Read_RepeatedAndRangeParameters_GiveOneFilterEachInOrder()
    {
        var request = Request("?sa.Amount.ge=100&SA.Amount.LT=200&sa.CustomerId=%22007%22&status=Running&sa.Vip=true");

        var filters = SearchAttributeFilters.Read(request);

        Assert.Equal(
            [
                new SearchAttributeFilter("Amount", SearchAttributeOperator.Ge, 100L),
                new SearchAttributeFilter("Amount", SearchAttributeOperator.Lt, 200L),
                new SearchAttributeFilter("CustomerId", SearchAttributeOperator.Eq, "007"),
                new SearchAttributeFilter("Vip", SearchAttributeOperator.Eq, true),
            ],
            filters);
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("W/\"d2Vhaw\"")]
    [InlineData("W/\"datetime'2026-11-23T15%3A04%3A21.123Z'\"")]
    [InlineData("ünïcode")]
    public void ETags_ToHttpThenIfMatch_RoundTrips(string etag)
    {
        var header = ScheduleETags.ToHttp(etag)!;

        Assert.Matches("^\"[A-Za-z0-9_-]*\"$", header);
        Assert.Equal(etag, ScheduleETags.IfMatch(Request("", ("If-Match", header))));
    }

    [Theory]
    [InlineData("*", null)]
    [InlineData("W/\"abc\"", "W/\"abc\"")] // A weak tag never matches (If-Match compares strongly): passed on, so the update is a 412.
    [InlineData("\"not base64!\"", "\"not base64!\"")]
    public void IfMatch_AnyOrForeignTag_IsNullOrPassedOn(string header, string? expected)
    {
        Assert.Equal(expected, ScheduleETags.IfMatch(Request("", ("If-Match", header))));
    }

    private static HttpRequest Request(string queryString, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(queryString.Length == 0 ? null : queryString);
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return context.Request;
    }
}
