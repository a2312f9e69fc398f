namespace ServerlessFlow.DevServer;

/// <summary>What the dev server prints once it listens: where everything is, and how to try a workflow with curl.</summary>
internal static class Banner
{
    public static string Build(string url, string storage, string taskQueues, string? example)
    {
        var api = url.TrimEnd('/') + "/api";
        var tryIt = example is null ? "" : Environment.NewLine + example.Replace("{api}", api, StringComparison.Ordinal).TrimEnd() + Environment.NewLine;
        return $"""

            ServerlessFlow dev server is running.
              Web UI:       {url.TrimEnd('/')}/
              HTTP API:     {api}/workflows
              Storage:      {storage}
              Task queues:  {taskQueues}
            {tryIt}
            Describe a workflow, read its history, list workflows:
              curl '{api}/workflows/<id>'
              curl '{api}/workflows/<id>/history'
              curl '{api}/workflows?status=Running'

            Press Ctrl-C to stop (and the Azurite the dev server started, if any).

            """;
    }
}
