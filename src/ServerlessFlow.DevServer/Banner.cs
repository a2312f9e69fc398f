namespace ServerlessFlow.DevServer;

/// <summary>What the dev server prints once it listens: where everything is, and how to start a sample with curl.</summary>
internal static class Banner
{
    public static string Build(string url, string storage, string taskQueues)
    {
        var api = url.TrimEnd('/') + "/api";
        return $"""

            ServerlessFlow dev server is running.
              Web UI:       {url.TrimEnd('/')}/
              HTTP API:     {api}/workflows
              Storage:      {storage}
              Task queues:  {taskQueues}

            Start the HelloSequence sample and wait for its result:
              curl -X POST '{api}/workflows/HelloSequence?id=demo' -d '{"{"}"count":5,"delayMs":200{"}"}'
              curl '{api}/workflows/demo/result?wait=30'

            Describe it, read its history, list workflows:
              curl '{api}/workflows/demo'
              curl '{api}/workflows/demo/history'
              curl '{api}/workflows?status=Completed'

            Press Ctrl-C to stop (and the Azurite the dev server started, if any).

            """;
    }
}
