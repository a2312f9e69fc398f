namespace ServerlessFlow.Hosting.Http;

/// <summary>How the HTTP API reads request targets on this host. Register one as a singleton to change the default.</summary>
public sealed record HttpApiOptions
{
    /// <summary>The options when none are registered: the request target arrives as the client sent it.</summary>
    public static HttpApiOptions Default { get; } = new();

    /// <summary>
    /// True when a proxy in front of this process rebuilds the request target from its own decoded path
    /// before forwarding it — the Azure Functions host does so for every HTTP trigger of an isolated
    /// worker. The proxy's server leaves <c>%2F</c> encoded but decodes <c>%25</c>, so <c>a%2Fb</c> and
    /// <c>a%252Fb</c> reach this process alike. A path parameter that contains '%' after decoding is then
    /// ambiguous and is refused with 400; IDs given in the query string (<c>?id=</c>) are not affected.
    /// </summary>
    public bool RequestTargetRebuiltByProxy { get; init; }
}
