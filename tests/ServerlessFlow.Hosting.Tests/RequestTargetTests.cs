using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow.Hosting.Http;

namespace ServerlessFlow.Hosting.Tests;

public sealed class RequestTargetTests
{
    [Theory]
    [InlineData("/api/workflows/a%2Fb/result", "a/b")]
    [InlineData("/api/workflows/a%252Fb/result", "a%2Fb")]
    [InlineData("/api/workflows/a%25/result", "a%")]
    [InlineData("/api/workflows/a+b/result", "a+b")]
    [InlineData("/api/workflows/%E6%97%A5/result/", "日")]
    [InlineData("/prefix/api/workflows/x/result", "x")]
    public void PathParameter_RawTarget_DecodesExactlyWhatWasSent(string rawPath, string expected)
    {
        var request = Request(rawPath, decodedPath: "/ignored");

        Assert.Equal(expected, RequestTarget.PathParameter(request, ApiRoutes.ResultTemplate, "id"));
    }

    [Fact]
    public void PathParameter_SecondParameter_IsFoundByItsPlaceInTheTemplate()
    {
        var request = Request("/api/workflows/w%231/signals/go%20now", decodedPath: "/ignored");

        Assert.Equal("w#1", RequestTarget.PathParameter(request, ApiRoutes.SignalTemplate, "id"));
        Assert.Equal("go now", RequestTarget.PathParameter(request, ApiRoutes.SignalTemplate, "name"));
    }

    [Fact]
    public void PathParameter_NoRawTarget_UsesThePathAndRefusesWhatItCannotDecode()
    {
        Assert.Equal("a b", RequestTarget.PathParameter(Request(rawPath: null, decodedPath: "/api/workflows/a b"), ApiRoutes.WorkflowTemplate, "id"));
        Assert.Throws<InvalidWorkflowRequestException>(() =>
            RequestTarget.PathParameter(Request(rawPath: null, decodedPath: "/api/workflows/a%2Fb"), ApiRoutes.WorkflowTemplate, "id"));
    }

    [Fact]
    public void PathParameter_BehindARebuildingProxy_RefusesAmbiguousValuesButNotPlainOnes()
    {
        var options = new HttpApiOptions { RequestTargetRebuiltByProxy = true };

        Assert.Throws<InvalidWorkflowRequestException>(() =>
            RequestTarget.PathParameter(Request("/api/workflows/a%252Fb", "/ignored", options), ApiRoutes.WorkflowTemplate, "id"));
        Assert.Equal("a#b c", RequestTarget.PathParameter(Request("/api/workflows/a%23b%20c", "/ignored", options), ApiRoutes.WorkflowTemplate, "id"));
    }

    [Theory]
    [InlineData("?id=a%2Fb", "a/b")]
    [InlineData("?id=a+b", "a b")]
    [InlineData("?ID=x", "x")]
    [InlineData("?other=1&id=%25", "%")]
    [InlineData("?id=", "")]
    [InlineData("?id", "")]
    [InlineData("?other=1", null)]
    [InlineData("", null)]
    public void QueryParameter_RawTarget_DecodesFormEncoding(string query, string? expected)
    {
        var request = Request("/api/workflows/HelloSequence" + query, decodedPath: "/api/workflows/HelloSequence");

        Assert.Equal(expected, RequestTarget.QueryParameter(request, "id"));
    }

    [Theory]
    [InlineData("?id=a&id=b")]
    [InlineData("?id=%FF")]
    [InlineData("?id=%G0")]
    public void QueryParameter_RepeatedOrMalformed_Throws(string query)
    {
        var request = Request("/api/workflows/HelloSequence" + query, decodedPath: "/api/workflows/HelloSequence");

        Assert.Throws<InvalidWorkflowRequestException>(() => RequestTarget.QueryParameter(request, "id"));
    }

    private static HttpRequest Request(string? rawPath, string decodedPath, HttpApiOptions? options = null)
    {
        var services = new ServiceCollection();
        if (options is not null)
        {
            services.AddSingleton(options);
        }

        var context = new DefaultHttpContext { RequestServices = services.BuildServiceProvider() };
        var query = rawPath?.IndexOf('?', StringComparison.Ordinal) is >= 0 and var q ? rawPath[q..] : "";
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawPath!;
        context.Request.Path = decodedPath;
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }
}
